import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// apps/bff/Dockerfile, checked for its structure (no Docker on the CI machine): Debian slim Node,
// a non-root user, the built SPA, a health check on /readyz, configuration and secrets from the
// environment only.
const dockerfile = fs.readFileSync(path.join(import.meta.dirname, '../Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const stages: string[][] = [];
for (const line of instructions) {
  if (/^FROM /i.test(line)) stages.push([]);
  stages.at(-1)?.push(line);
}
const final = stages.at(-1) ?? [];
const of = (lines: string[], name: string) => lines.filter((l) => l.toUpperCase().startsWith(`${name} `));

describe('apps/bff/Dockerfile', () => {
  it('builds and runs on Debian slim Node images', () => {
    expect(stages.length).toBeGreaterThanOrEqual(1);
    for (const stage of stages) {
      expect(stage[0]).toMatch(/^FROM node:(2[0-9])-(bookworm|trixie)-slim( AS \w+)?$/);
      expect(Number(/node:(\d+)/.exec(stage[0]!)![1])).toBeGreaterThanOrEqual(20);
    }
  });

  it('builds the SPA and the bundles from the lock file, and ships them without dev dependencies', () => {
    const build = instructions.filter((l) => /^RUN /i.test(l)).join(' ');
    expect(build).toContain('npm ci');
    expect(build).toContain('npm run build');
    expect(build).toMatch(/buildServicesIfStale\(\['bff', 'runner'\]\)/);
    expect(build).toContain('npm prune --omit=dev');
    const copied = of(final, 'COPY').join(' ');
    expect(copied).toMatch(/--from=build/);
    expect(build).toContain('apps/web/dist');
    expect(build).toContain('apps/runner/dist');
    // The SPA lands where the BFF looks by default (WEB_DIST: ../../web/dist from the bundle).
    expect(of(final, 'ENTRYPOINT')[0]).toContain('/opt/runner-console/apps/bff/dist/server.mjs');
  });

  it('runs as a non-root user, with its data in a volume', () => {
    const user = of(final, 'USER');
    expect(user).toHaveLength(1);
    expect(user[0]).not.toMatch(/^USER (root|0)(:|$)/);
    expect(of(final, 'RUN').join(' ')).toMatch(/useradd .*bff/);
    expect(of(final, 'VOLUME')[0]).toContain('/data');
    expect(of(final, 'ENV').join(' ')).toMatch(/DATA_DIR=\/data/);
    expect(of(final, 'ENV').join(' ')).toMatch(/NODE_ENV=production/);
  });

  it('checks readiness (/readyz), not mere liveness', () => {
    const check = of(final, 'HEALTHCHECK');
    expect(check).toHaveLength(1);
    expect(check[0]).toContain('/readyz');
  });

  it('takes DATABASE_URL and every secret from the environment, never from the image', () => {
    const env = of(final, 'ENV').join(' ') + of(final, 'ARG').join(' ');
    for (const name of ['DATABASE_URL', 'PUBLIC_URL', 'LOCAL_RUNNER_TOKEN', 'PASSWORD', 'SECRET', 'TOKEN']) expect(env).not.toContain(name);
    expect(dockerfile).toMatch(/-e DATABASE_URL=/);
  });

  it('hands SIGTERM to the BFF (it drains) through an init process', () => {
    expect(of(final, 'ENTRYPOINT')[0]).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--", "node",/);
  });
});
