import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildServicesIfStale, runnerBundle } from '../../../scripts/build-services.mjs';
import { createRunnerKeyPair, openClientSecret } from '@runner-console/envelope';
import { runnerVersion } from '../src/version.ts';

/**
 * The installable runner: the one file the BFF serves at /downloads/runner.mjs and the Dockerfile
 * copies. It must run with bare node in a folder that has nothing else: no checkout, no node_modules.
 */
let alone: string;
beforeAll(async () => {
  await buildServicesIfStale(['runner']);
  alone = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rc-runner-alone-')), 'runner.mjs');
  fs.copyFileSync(runnerBundle, alone);
}, 120_000);

describe('the runner file', () => {
  it('imports nothing but Node built-ins', () => {
    const source = fs.readFileSync(runnerBundle, 'utf8');
    // esbuild writes the module's own imports at the start of a line; dependencies' code is inlined.
    const specifiers = [...source.matchAll(/^import\s[^;\n]*?from\s*["']([^"']+)["'];?$/gm)].map((m) => m[1]!);
    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.filter((s) => !s.startsWith('node:'))).toEqual([]);
  });

  it('runs with bare node from a folder holding only that file', () => {
    const dir = path.dirname(alone);
    expect(fs.readdirSync(dir)).toEqual(['runner.mjs']);
    const env = { PATH: process.env.PATH ?? '', HOME: dir };
    expect(execFileSync(process.execPath, [alone, '--version'], { cwd: dir, env, encoding: 'utf8' }).trim()).toBe(runnerVersion);
    const help = execFileSync(process.execPath, [alone, '--help'], { cwd: dir, env, encoding: 'utf8' });
    expect(help).toContain('--public-url');
    // Without a token it stops at once and says what is missing (its dependencies loaded fine).
    let stderr = '';
    try {
      execFileSync(process.execPath, [alone], { cwd: dir, env, encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      stderr = String((err as { stderr: string }).stderr);
    }
    expect(stderr).toContain('RUNNER_TOKEN is required');
  });

  it('seals a client secret piped into `seal-secret`, as the automation example in README.md runs it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-runner-seal-'));
    const keys = await createRunnerKeyPair();
    fs.writeFileSync(path.join(dir, 'runner-key.json'), JSON.stringify({ id: 'run_bundle', publicKey: keys.publicJwk }));
    const env = { PATH: process.env.PATH ?? '', HOME: dir };
    const args = [alone, 'seal-secret', '--runner', 'run_bundle', '--host', 'bitbucket.org', '--public-key-file', 'runner-key.json'];
    const envelope = execFileSync(process.execPath, args, { cwd: dir, env, input: 'bundle-secret\n', encoding: 'utf8' }).trim();
    expect(envelope).not.toContain('bundle-secret');
    expect(await openClientSecret({ envelope, privateKey: keys.privateJwk, expected: { runnerId: 'run_bundle', kid: keys.publicJwk.kid, host: 'bitbucket.org' } })).toBe('bundle-secret');
  });
});

describe('apps/runner/Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.join(import.meta.dirname, '../Dockerfile'), 'utf8');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const of = (name: string) => instructions.filter((l) => l.toUpperCase().startsWith(`${name} `));

  it('starts from a Debian slim Node image with git', () => {
    expect(of('FROM')).toHaveLength(1);
    expect(of('FROM')[0]).toMatch(/^FROM node:(2[0-9])-(bookworm|trixie)-slim$/);
    expect(Number(/node:(\d+)/.exec(of('FROM')[0]!)![1])).toBeGreaterThanOrEqual(20);
    expect(of('RUN').join(' ')).toMatch(/apt-get install .*\bgit\b/);
  });

  it('copies the one runner file the CI tests, and nothing else of the repository', () => {
    const copies = [...of('COPY'), ...of('ADD')];
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatch(/^COPY (--\S+ )*runner\.mjs \/opt\/runner\/runner\.mjs$/);
    expect(dockerfile).toContain('apps/runner/dist');
    expect(path.basename(runnerBundle)).toBe('runner.mjs');
    expect(path.relative(path.join(import.meta.dirname, '..'), path.dirname(runnerBundle))).toBe('dist');
  });

  it('runs as a non-root user, with its data in a volume', () => {
    const user = of('USER');
    expect(user).toHaveLength(1);
    expect(user[0]).not.toMatch(/^USER (root|0)(:|$)/);
    expect(of('RUN').join(' ')).toMatch(/useradd .*runner/);
    expect(of('VOLUME')[0]).toContain('/data');
    expect(of('ENV').join(' ')).toMatch(/RUNNER_DATA_DIR=\/data/);
    // The last USER comes before the entry point, so the runner never runs as root.
    expect(instructions.findIndex((l) => l.startsWith('USER '))).toBeLessThan(instructions.findIndex((l) => l.startsWith('ENTRYPOINT ')));
    expect(of('ENTRYPOINT')[0]).toContain('"node", "/opt/runner/runner.mjs"');
  });
});
