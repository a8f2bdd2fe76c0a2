import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { freePort, memoryOf, repoRoot } from './stack.ts';
import { mb, type BenchRow } from './stats.ts';

/**
 * For comparison with the start path (`node --import tsx`): the same BFF and runner bundled by
 * esbuild into plain JS and run with `node`, idle, measured the same way. Informational rows: they
 * show how much of the idle memory is the TypeScript loader.
 */
export async function benchPrecompiledMemory(): Promise<BenchRow[]> {
  const outDir = path.join(repoRoot, '.tmp', 'bench-build');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-js-'));
  const banner = { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" };
  for (const [name, entry] of [
    ['bff', 'apps/bff/src/server.ts'],
    ['runner', 'apps/runner/src/main.ts'],
  ] as const) {
    await build({ entryPoints: [path.join(repoRoot, entry)], outfile: path.join(outDir, `${name}.mjs`), bundle: true, platform: 'node', format: 'esm', target: 'node20', external: ['better-sqlite3'], banner, logLevel: 'error' });
  }
  const token = `rct_${randomBytes(32).toString('base64url')}`;
  const [bffPort, runnerPort] = [await freePort(), await freePort()];
  const children: ChildProcess[] = [];
  const start = (file: string, env: Record<string, string>) => {
    const child = spawn(process.execPath, [path.join(outDir, file)], { cwd: repoRoot, env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env }, stdio: 'ignore' });
    children.push(child);
    return child;
  };
  try {
    const bff = start('bff.mjs', { PORT: String(bffPort), LOCAL_RUNNER_TOKEN: token });
    await waitFor(`http://localhost:${bffPort}/healthz`);
    const runner = start('runner.mjs', { RUNNER_TOKEN: token, BFF_URL: `http://localhost:${bffPort}`, RUNNER_PORT: String(runnerPort) });
    await waitFor(`http://localhost:${runnerPort}/healthz`);
    await new Promise((r) => setTimeout(r, 5_000));
    const m = { bff: memoryOf(bff.pid!), runner: memoryOf(runner.pid!) };
    return [
      { benchmark: `6e. BFF idle, precompiled JS (esbuild bundle, plain node): peak RSS (RSS now ${mb(m.bff.rss)})`, figure: mb(m.bff.peak), baseline: '–', ratio: '–', budget: '(comparison)', pass: null },
      { benchmark: `6f. Runner idle, precompiled JS (esbuild bundle, plain node): peak RSS (RSS now ${mb(m.runner.rss)})`, figure: mb(m.runner.peak), baseline: '–', ratio: '–', budget: '(comparison)', pass: null },
    ];
  } finally {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
          }),
      ),
    );
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

async function waitFor(url: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}
