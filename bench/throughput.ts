import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon, { type Options, type Result } from 'autocannon';
import type { TestBrowser } from '../test-support/test-stack.ts';
import { expectOk, sessionHeaders } from './bench-api.ts';
import { acmeOrgId, openBffDb, seedIntegrations, seedRunners } from './seed.ts';
import { freePort, memoryOf, repoRoot, type BenchStack } from './stack.ts';
import { mb, ms, ratio, type BenchRow } from './stats.ts';

const CONNECTIONS = 64;
const WARMUP_SECONDS = 3;
const ROUNDS = 3;

/** The run with the median p99 (for an odd count, the middle one). */
function medianRun(runs: Result[]): Result {
  return [...runs].sort((a, b) => a.latency.p99 - b.latency.p99)[Math.floor(runs.length / 2)]!;
}

function spread(runs: Result[], value: (r: Result) => number, format: (n: number) => string): string {
  const values = runs.map(value);
  return `${format(Math.min(...values))}–${format(Math.max(...values))}`;
}

export interface LoadMemory {
  bff: { rss: number; peak: number };
  runner: { rss: number; peak: number };
}

/**
 * autocannon, 64 connections, against (a) a bare Express handler answering the same JSON as (b), in
 * its own process; (b) GET a runner's integrations (50 seeded); (c) POST check-authentication, a
 * round trip through the runner over its link. Each is warmed up for 3 s, then run for `seconds`
 * three times, the three taking turns; each row is its median run.
 */
export async function benchThroughput(stack: BenchStack, admin: TestBrowser, localRunnerId: string, seconds: number): Promise<{ rows: BenchRow[]; memory: LoadMemory }> {
  const db = openBffDb(stack);
  const orgId = acmeOrgId(db);
  const [runnerId] = seedRunners(db, orgId, 1, 'Bench runner with 50 integrations');
  seedIntegrations(db, orgId, [runnerId!], 50);
  db.close();

  const { cookie, csrf } = sessionHeaders(admin, stack);
  const listPath = `/api/runners/${runnerId}/integrations`;
  const payload = await expectOk(admin, stack, 'GET', listPath);
  const check = await expectOk<{ authenticated?: boolean }>(admin, stack, 'POST', `/api/runners/${localRunnerId}/check-authentication`, { host: 'bitbucket.org' });
  if (typeof check !== 'object') throw new Error('check-authentication did not answer JSON');

  const bodyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-bare-')), 'payload.json');
  fs.writeFileSync(bodyFile, JSON.stringify(payload));
  const barePort = await freePort();
  const bare = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-server.ts', String(barePort), bodyFile], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    bare.stdout!.once('data', () => resolve());
    bare.once('exit', (code) => reject(new Error(`the bare server exited (${code})`)));
  });

  try {
    const targets: Record<'bare' | 'list' | 'check', Options> = {
      bare: { url: `http://127.0.0.1:${barePort}/payload` },
      list: { url: `${stack.dashboard}${listPath}`, headers: { cookie } },
      check: {
        url: `${stack.dashboard}/api/runners/${localRunnerId}/check-authentication`,
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ host: 'bitbucket.org' }),
      },
    };
    const runs: Record<keyof typeof targets, Result[]> = { bare: [], list: [], check: [] };
    const memory = { bff: memoryOf(stack.pids.bff), runner: memoryOf(stack.pids.runner) };
    // Each target is warmed up (JIT, connection pools) before it is measured, and measured in
    // ROUNDS rounds that take turns, so a burst of noise on this shared machine lands on one run of
    // each rather than on one target. The rows report the median run.
    for (const target of Object.values(targets)) await autocannon({ ...target, connections: CONNECTIONS, duration: WARMUP_SECONDS });
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of ['bare', 'list', 'check'] as const) {
        runs[name].push(await autocannon({ ...targets[name], connections: CONNECTIONS, duration: seconds }));
        if (name === 'bare') continue;
        const now = { bff: memoryOf(stack.pids.bff), runner: memoryOf(stack.pids.runner) };
        memory.bff = { rss: Math.max(memory.bff.rss, now.bff.rss), peak: now.bff.peak };
        memory.runner = { rss: Math.max(memory.runner.rss, now.runner.rss), peak: now.runner.peak };
      }
    }
    const baseline = medianRun(runs.bare);
    const list = medianRun(runs.list);
    const checkAuth = medianRun(runs.check);

    const base = baseline.requests.average;
    const row = (name: string, all: Result[], r: Result, share: number): BenchRow => {
      const failures = all.reduce((sum, x) => sum + x.errors + x.timeouts + x.non2xx, 0);
      return {
        benchmark: `${name} (${CONNECTIONS} conn, median of ${all.length} × ${seconds} s; p99 ${ms(r.latency.p99)}, runs ${spread(all, (x) => x.latency.p99, ms)}${failures ? `; ${failures} failed` : ''})`,
        figure: `${Math.round(r.requests.average)} req/s`,
        baseline: `${Math.round(base)} req/s (bare Express, same JSON)`,
        ratio: ratio(r.requests.average, base),
        budget: `≥ ${share * 100}% of baseline, p99 < 50 ms`,
        pass: failures === 0 && r.requests.average >= share * base && r.latency.p99 < 50,
      };
    };
    return {
      memory,
      rows: [
        {
          benchmark: `3a. Throughput baseline: bare Express handler (median of ${runs.bare.length}; p99 ${ms(baseline.latency.p99)}, runs ${spread(runs.bare, (x) => x.latency.p99, ms)})`,
          figure: `${Math.round(base)} req/s`,
          baseline: '–',
          ratio: '–',
          budget: '–',
          pass: null,
        },
        row('3b. GET runner integrations, 50 seeded', runs.list, list, 0.5),
        row('3c. POST check-authentication (via the runner)', runs.check, checkAuth, 0.25),
      ],
    };
  } finally {
    bare.kill('SIGTERM');
    fs.rmSync(path.dirname(bodyFile), { recursive: true, force: true });
  }
}

export function memoryRows(idle: LoadMemory, load: LoadMemory): BenchRow[] {
  return [
    {
      benchmark: `6a. BFF memory at idle: peak RSS (VmHWM; RSS now ${mb(idle.bff.rss)})`,
      figure: mb(idle.bff.peak),
      baseline: '–',
      ratio: '–',
      budget: '< 150 MB',
      pass: idle.bff.peak < 150 * 1024 * 1024,
    },
    {
      benchmark: `6b. Runner memory at idle: peak RSS (VmHWM; RSS now ${mb(idle.runner.rss)})`,
      figure: mb(idle.runner.peak),
      baseline: '–',
      ratio: '–',
      budget: '< 120 MB',
      pass: idle.runner.peak < 120 * 1024 * 1024,
    },
    { benchmark: '6c. BFF peak RSS under load (3)', figure: mb(load.bff.peak), baseline: '–', ratio: '–', budget: '(reported)', pass: null },
    { benchmark: '6d. Runner peak RSS under load (3)', figure: mb(load.runner.peak), baseline: '–', ratio: '–', budget: '(reported)', pass: null },
  ];
}
