import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services } from '../scripts/build-services.mjs';
import { startTestStack, type TestBrowser, type TestStack } from '../test-support/test-stack.ts';
import { authorizeAtBitbucket, configureBitbucket, signedInBrowser, finishConnect } from '../test-support/connect-journey.ts';
import { check, recordSecurityRow, securityResultsFile } from './support/record-security-row.ts';

const healthFiguresFile = path.join(path.dirname(securityResultsFile), 'load-health.json');

/**
 * Item 8: 200 concurrent Connect flows for 200 distinct users, each with their own Bitbucket account,
 * through the real runner. Every user must end with their own token and account (no mix-ups), and the
 * BFF and runner must stay responsive (health p99 under 100 ms) while it runs.
 */
const users = 200;
/**
 * Starts, and later the returns from Bitbucket's consent page, are spread over this long: 50 a
 * second. (All 200 are in flight together regardless: every flow waits at consent until the last
 * has started.) LOAD_SPREAD_MS overrides it, to see how the figures move with the arrival rate.
 */
const spreadMs = Number(process.env.LOAD_SPREAD_MS ?? 4000);
let stack: TestStack;
let runnerId: string;
const browsers: TestBrowser[] = [];
let bffHealth: HealthPoller;
let runnerHealth: HealthPoller;

async function inBatches<T>(count: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await fn(i);
      }
    }),
  );
  return results;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/**
 * Poll a health URL every 20 ms from a separate process, from `start()` until `stop()`, so the figure
 * measures the server's responsiveness, not the event loop of this busy test process. The poller
 * stands for a monitoring client on another machine: it is spawned before this process lowers its
 * own priority, so it runs at the same priority as the BFF and the runner, not at the stand-ins'.
 */
function healthPoller(url: string) {
  const script = `
    const samples = [];
    let running = false;
    process.on('message', (m) => {
      if (m === 'start' && !running) {
        running = true;
        (async () => {
          while (running) {
            const t = performance.now();
            const ok = await fetch(${JSON.stringify(url)}).then((r) => r.ok).catch(() => false);
            samples.push(ok ? performance.now() - t : 1e9);
            await new Promise((r) => setTimeout(r, 20));
          }
          process.send(samples, () => process.exit(0));
        })();
      } else if (m === 'stop') running = false;
    });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const samples = new Promise<number[]>((resolve) => child.once('message', (m) => resolve(m as number[])));
  return {
    start() {
      child.send('start');
    },
    async stop(): Promise<number[]> {
      child.send('stop');
      return samples;
    },
    kill() {
      if (child.exitCode === null) child.kill();
    },
  };
}
type HealthPoller = ReturnType<typeof healthPoller>;

function recordHealthFigures(figures: { bffP99: number; runnerP99: number; samples: number }) {
  fs.mkdirSync(path.dirname(healthFiguresFile), { recursive: true });
  fs.writeFileSync(healthFiguresFile, JSON.stringify({ ...figures, budgetMs: 100, at: new Date().toISOString() }));
}

/**
 * In production Bitbucket and the 200 browsers are other machines. Here they share two cores with the
 * BFF and the runner, so they run at a lower CPU priority (nice 10): the figures then measure the
 * product's responsiveness rather than the stand-ins competing with it.
 */
function lowerPriorityOfStandIns(bitbucketPort: number) {
  os.setPriority(10);
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      const environ = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
      if (cmdline.includes(services['bitbucket-emulator'].bundle) && environ.includes(`BITBUCKET_PORT=${bitbucketPort}\0`)) os.setPriority(Number(pid), 10);
    } catch {
      /* gone, or not ours */
    }
  }
}

beforeAll(async () => {
  stack = await startTestStack();
  bffHealth = healthPoller(`${stack.dashboard}/healthz`);
  runnerHealth = healthPoller(`${stack.runner}/healthz`);
  lowerPriorityOfStandIns(stack.ports.bitbucket);
  const admin = await signedInBrowser(stack, 'admin@acme.test', 'admin');
  ({ runnerId } = await configureBitbucket(stack, admin));

  // 200 dashboard members (same password hash as dev@acme.test: "dev") and 200 Bitbucket accounts.
  const db = new SQLite(path.join(stack.dataDir, 'bff', 'runner-console.sqlite'));
  const dev = db.prepare("SELECT org_id, password_hash FROM users WHERE email = 'dev@acme.test'").get() as { org_id: string; password_hash: string };
  const insert = db.prepare("INSERT INTO users (id, org_id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, 'member', ?, ?)");
  db.transaction(() => {
    for (let i = 0; i < users; i++) insert.run(randomUUID(), dev.org_id, `load-${i}@acme.test`, `Load ${i}`, dev.password_hash, new Date().toISOString());
  })();
  db.close();
  await inBatches(users, 16, async (i) => {
    const res = await fetch(`${stack.bitbucket}/_emulator/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: `load-user-${i}`, displayName: `Load User ${i}` }),
    });
    expect(res.status).toBe(201);
  });
  browsers.push(...(await inBatches(users, 8, (i) => signedInBrowser(stack, `load-${i}@acme.test`, 'dev'))));
}, 300_000);
afterAll(async () => {
  bffHealth?.kill();
  runnerHealth?.kill();
  await stack?.stop();
});

describe('load', () => {
  it(`${users} concurrent Connect flows: every user gets their own account, and health stays fast`, async () => {
    bffHealth.start();
    runnerHealth.start();
    const started = performance.now();
    const failures: string[] = [];
    let inFlight = 0;
    let peakInFlight = 0;
    let flowsStarted = 0;
    let releaseAll = () => {};
    const allStarted = new Promise<void>((resolve) => (releaseAll = resolve));
    const outcomes = await Promise.all(
      browsers.map(async (browser, i) => {
        // People do not click Connect in the same millisecond: starts are spread over spreadMs.
        await new Promise((r) => setTimeout(r, (i * spreadMs) / users));
        peakInFlight = Math.max(peakInFlight, ++inFlight);
        if (++flowsStarted === users) releaseAll();
        try {
          const callback = await authorizeAtBitbucket(stack, browser, runnerId, { user: `load-user-${i}` });
          // Every flow stays open at Bitbucket's consent until all 200 have started, as people reading
          // the consent page would: then all are in flight at once, and return spread out again.
          await allStarted;
          await new Promise((r) => setTimeout(r, (i * spreadMs) / users));
          const page = await finishConnect(browser, callback);
          const ok = page.text.includes(`connected as Load User ${i}.`);
          if (!ok) failures.push(`${i}: ${page.status} ${/role="alert">([^<]*)/.exec(page.text)?.[1] ?? page.text.slice(0, 200)}`);
          return ok;
        } catch (err) {
          failures.push(`${i}: ${(err as Error).message.slice(0, 200)}`);
          return false;
        } finally {
          inFlight--;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    const bffSamples = await bffHealth.stop();
    const runnerSamples = await runnerHealth.stop();

    // Each user sees exactly one connection, to their own Bitbucket account.
    const own = await inBatches(users, 16, async (i) => {
      const list = (await browsers[i]!.api(stack.dashboard, 'GET', '/api/git-authentications')).body.authentications;
      return list.length === 1 && list[0].accountName === `Load User ${i}` && list[0].accountUsername === `load-user-${i}`;
    });
    const held = outcomes.filter((ok, i) => ok && own[i]).length;
    if (failures.length) console.log(`load failures (${failures.length}):\n${failures.slice(0, 10).join('\n')}`);
    recordSecurityRow('load', { tried: users, held, lost: users - held }, `${users} flows in ${seconds.toFixed(1)} s, ${peakInFlight} at once`);
    await check('load', 'all flows in flight together', () => expect(peakInFlight).toBeGreaterThanOrEqual(users));
    expect(held).toBe(users);

    const bffP99 = percentile(bffSamples, 99);
    const runnerP99 = percentile(runnerSamples, 99);
    console.log(`load: ${users} flows in ${seconds.toFixed(1)} s, ${peakInFlight} in flight at the peak; health p99 BFF ${bffP99.toFixed(1)} ms (${bffSamples.length} samples), runner ${runnerP99.toFixed(1)} ms (${runnerSamples.length} samples)`);
    recordHealthFigures({ bffP99, runnerP99, samples: bffSamples.length + runnerSamples.length });
    await check('load', 'BFF health p99 under 100 ms during the run', () => expect(bffP99).toBeLessThan(100));
    await check('load', 'runner health p99 under 100 ms during the run', () => expect(runnerP99).toBeLessThan(100));
  }, 300_000);
});
