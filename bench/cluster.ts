import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from '@playwright/test';
import autocannon, { type Result } from 'autocannon';
import { stopStartScript } from '../test-support/test-stack.ts';
import type { TestBrowser } from '../test-support/test-stack.ts';
import { createConsumer, expectOk, localRunnerId, sessionHeaders, signedInClient } from './bench-api.ts';
import { benchConnectLatency } from './connect-latency.ts';
import { memoryOf, repoRoot, type BenchStack } from './stack.ts';
import { mb, ms, ratio, type BenchRow } from './stats.ts';

const CONNECTIONS = 64;

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A base port whose +1, +2, +3, +10..+15 and +20 are free (start:cluster's layout). */
async function freeClusterBase(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const base = 30_000 + Math.floor(Math.random() * 1_000) * 30;
    const all = [0, 1, 2, 3, 10, 11, 12, 13, 14, 15, 20].map((d) => base + d);
    if ((await Promise.all(all.map(portFree))).every(Boolean)) return base;
  }
  throw new Error('no free port range for the cluster');
}

/** `npm run start:cluster` on free loopback ports with a temporary data folder. */
async function startBenchCluster(): Promise<BenchStack & { instances: { url: string; pid: () => number }[] }> {
  const base = await freeClusterBase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-cluster-'));
  const child: ChildProcess = spawn(process.execPath, ['scripts/start-cluster.mjs'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(base), RUNNER_PORT: String(base + 1), BITBUCKET_PORT: String(base + 2), GITHUB_PORT: String(base + 3), GITLAB_PORT: String(base + 4), AZURE_DEVOPS_PORT: String(base + 5), ENTRA_PORT: String(base + 6), BITBUCKET_DC_PORT: String(base + 7), DATA_DIR: dataDir, SKIP_WEB_BUILD: '1', LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the cluster did not start:\n${output.slice(-2000)}`)), 180_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('Press Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the cluster exited (${code}):\n${output.slice(-2000)}`)));
  });
  const pidOf = (n: number) => () => Number(fs.readFileSync(path.join(dataDir, 'cluster', `bff-${n}.pid`), 'utf8'));
  return {
    dashboard: `http://localhost:${base}`,
    runner: `http://localhost:${base + 1}`,
    bitbucket: `http://localhost:${base + 2}`,
    github: `http://localhost:${base + 3}`,
    gitlab: `http://localhost:${base + 4}`,
    bitbucketDc: `http://localhost:${base + 7}`,
    ports: { bff: base, runner: base + 1, bitbucket: base + 2, github: base + 3, gitlab: base + 4, bitbucketDc: base + 7 },
    dataDir,
    pids: { bff: pidOf(1)(), runner: 0 },
    instances: [1, 2, 3].map((n) => ({ url: `http://127.0.0.1:${base + 9 + n}`, pid: pidOf(n) })),
    async stop() {
      await stopStartScript(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const run = (url: string, headers: Record<string, string>, seconds: number) => autocannon({ url, headers, connections: CONNECTIONS, duration: seconds });
const failuresOf = (r: Result) => r.errors + r.timeouts + r.non2xx;

/**
 * 7. The cluster (`npm run start:cluster`): each instance's idle memory; Connect confirmation with
 * the page, the popup and the runner's link on any of three instances; GET integrations through
 * HAProxy (3 instances) against one instance alone; and one PostgreSQL instance against the SQLite
 * stack (`single`) for the list endpoints, on the same small data (2 runners, 1 integration).
 */
export async function benchCluster(single: BenchStack, singleAdmin: TestBrowser, browser: Browser, flows: number, seconds: number, log: (m: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const cluster = await startBenchCluster();
  try {
    log(`cluster up: ${cluster.dashboard} → ${cluster.instances.map((i) => i.url).join(', ')}`);
    await new Promise((r) => setTimeout(r, 5_000));
    cluster.instances.forEach((instance, i) => {
      const m = memoryOf(instance.pid());
      rows.push({ benchmark: `8d. Cluster: BFF instance ${i + 1} memory at idle, peak RSS (VmHWM; RSS now ${mb(m.rss)})`, figure: mb(m.peak), baseline: '–', ratio: '–', budget: '< 150 MB', pass: m.peak < 150 * 1024 * 1024 });
    });

    const admin = await signedInClient(cluster, 'admin');
    const runnerId = await localRunnerId(cluster, admin);
    const consumer = await createConsumer(cluster);
    await expectOk(admin, cluster, 'POST', `/api/runners/${runnerId}/integrations`, { provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: true, clientId: consumer.key, oauthPlaintextClientSecret: consumer.secret });
    await expectOk(admin, cluster, 'POST', '/api/runners', { name: 'Bench cluster runner' });

    // Connect confirmation across instances (HAProxy spreads the page, its event stream and the popup).
    for (const row of await benchConnectLatency(cluster, browser, runnerId, flows)) {
      const p95 = Number.parseFloat(row.figure);
      rows.push({ ...row, benchmark: row.benchmark.replace(/^1([ab])\. Connect confirmation/, '8$1. Cluster: Connect confirmation across instances'), budget: 'p95 < 100 ms', pass: row.pass !== false && p95 < 100 });
    }

    // GET integrations: three instances behind HAProxy against one instance alone (both PostgreSQL).
    const { cookie } = sessionHeaders(admin, cluster);
    const listPath = `/api/runners/${runnerId}/integrations`;
    await run(`${cluster.dashboard}${listPath}`, { cookie }, 3);
    const three = await run(`${cluster.dashboard}${listPath}`, { cookie }, seconds);
    const one = await run(`${cluster.instances[0]!.url}${listPath}`, { cookie }, seconds);
    rows.push({
      benchmark: `8c. Cluster: GET integrations, 3 instances behind HAProxy against 1 instance, same machine (${CONNECTIONS} conn, ${seconds} s; p99 ${ms(three.latency.p99)} vs ${ms(one.latency.p99)}${failuresOf(three) + failuresOf(one) ? `; ${failuresOf(three) + failuresOf(one)} failed` : ''})`,
      figure: `${Math.round(three.requests.average)} req/s`,
      baseline: `${Math.round(one.requests.average)} req/s (1 instance, direct)`,
      ratio: ratio(three.requests.average, one.requests.average),
      budget: '(reported)',
      pass: failuresOf(three) + failuresOf(one) ? false : null,
    });

    // PostgreSQL (one instance, direct) against SQLite (the `npm start` stack), list endpoints.
    const singleRunnerId = await localRunnerId(single, singleAdmin);
    const singleCookie = sessionHeaders(singleAdmin, single).cookie;
    const endpoints = [
      { name: 'GET /api/runners', pg: '/api/runners', sqlite: '/api/runners' },
      { name: 'GET Local runner integrations', pg: listPath, sqlite: `/api/runners/${singleRunnerId}/integrations` },
      { name: 'GET /api/environments', pg: '/api/environments', sqlite: '/api/environments' },
    ];
    for (const e of endpoints) {
      await run(`${cluster.instances[1]!.url}${e.pg}`, { cookie }, 2);
      await run(`${single.dashboard}${e.sqlite}`, { cookie: singleCookie }, 2);
      const pg = await run(`${cluster.instances[1]!.url}${e.pg}`, { cookie }, Math.max(3, Math.round(seconds / 2)));
      const sqlite = await run(`${single.dashboard}${e.sqlite}`, { cookie: singleCookie }, Math.max(3, Math.round(seconds / 2)));
      const share = pg.requests.average / sqlite.requests.average;
      rows.push({
        benchmark: `8e. PostgreSQL against SQLite, one BFF each: ${e.name} (${CONNECTIONS} conn; p99 ${ms(pg.latency.p99)} vs ${ms(sqlite.latency.p99)})`,
        figure: `${Math.round(pg.requests.average)} req/s`,
        baseline: `${Math.round(sqlite.requests.average)} req/s (SQLite)`,
        ratio: ratio(pg.requests.average, sqlite.requests.average),
        budget: '≥ 0.5× SQLite',
        pass: failuresOf(pg) + failuresOf(sqlite) === 0 && share >= 0.5,
      });
    }
  } finally {
    await cluster.stop();
  }
  return rows;
}

const RESTART_CONNECTIONS = 16;

/** Until instance `n` is a new process (not `oldPid`) answering /readyz 200. */
async function waitUntilRestarted(instance: { url: string; pid: () => number }, oldPid: number, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (instance.pid() !== oldPid && (await fetch(`${instance.url}/readyz`)).ok) return true;
    } catch {
      /* restarting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * 9. Restarts under load: autocannon, 16 connections on GET /api/runners through HAProxy, once with
 * nothing happening (the baseline), once while each instance in turn gets SIGTERM (it drains;
 * start:cluster starts it again) and once while each gets SIGKILL. Each restart waits until the
 * instance is back and ready before the next. The figure is the p99 during the restarts against the
 * baseline's p99; the budget is 0 failed requests (non-2xx, errors, timeouts) in both.
 */
export async function benchRestarts(seconds: number, log: (m: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const cluster = await startBenchCluster();
  try {
    log(`cluster up: ${cluster.dashboard} → ${cluster.instances.map((i) => i.url).join(', ')}`);
    const admin = await signedInClient(cluster, 'admin');
    const { cookie } = sessionHeaders(admin, cluster);
    const url = `${cluster.dashboard}/api/runners`;
    const load = () => autocannon({ url, headers: { cookie }, connections: RESTART_CONNECTIONS, duration: seconds });
    await autocannon({ url, headers: { cookie }, connections: RESTART_CONNECTIONS, duration: 3 });
    const baseline = await load();
    log(`restarts baseline: p99 ${ms(baseline.latency.p99)}, ${baseline.requests.total} requests, ${failuresOf(baseline)} failed`);

    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      const running = load();
      const restarted: string[] = [];
      await new Promise((r) => setTimeout(r, 1_000));
      for (const [i, instance] of cluster.instances.entries()) {
        const pid = instance.pid();
        const at = Date.now();
        process.kill(pid, signal);
        if (await waitUntilRestarted(instance, pid)) restarted.push(`bff-${i + 1} ${((Date.now() - at) / 1000).toFixed(1)} s`);
      }
      const during = await running;
      const failed = failuresOf(during);
      const all = restarted.length === cluster.instances.length;
      log(`${signal}: restarted ${restarted.join(', ')}; p99 ${ms(during.latency.p99)}; ${during.requests.total} requests, ${during.non2xx} non-2xx, ${during.errors} errors, ${during.timeouts} timeouts`);
      rows.push({
        benchmark: `9${signal === 'SIGTERM' ? 'a' : 'b'}. Restarts: GET /api/runners through HAProxy while each instance in turn gets ${signal} (${RESTART_CONNECTIONS} conn, ${seconds} s; ${during.requests.total} requests, ${during.non2xx} non-2xx, ${during.errors + during.timeouts} errors; back and ready in ${restarted.join(', ') || 'none'}), p99`,
        figure: ms(during.latency.p99),
        baseline: `${ms(baseline.latency.p99)} (no restarts, p99; ${baseline.requests.total} requests)`,
        ratio: ratio(during.latency.p99, baseline.latency.p99),
        budget: '0 failed requests',
        pass: failed === 0 && failuresOf(baseline) === 0 && all,
        ...(all ? {} : { note: `only ${restarted.length} of ${cluster.instances.length} instances were back within the run` }),
      });
      // Settle: every instance up before the next round.
      await new Promise((r) => setTimeout(r, 2_000));
    }
  } finally {
    await cluster.stop();
  }
  return rows;
}
