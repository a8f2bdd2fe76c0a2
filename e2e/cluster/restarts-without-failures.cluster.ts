import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import type { TestBrowser } from '../../test-support/test-stack.ts';
import { findPromtool, promtoolCheckMetrics } from '../../test-support/promtool.ts';
import { cluster, configureBitbucket, connectThroughHttp, linkInstanceIdOf, metricsUrlOf, signedInBrowser, terminateInstance, waitUntil, waitUntilReady } from './cluster-fixtures.ts';

// A rolling restart: each BFF instance in turn gets SIGTERM (it drains, exits, and start:cluster
// starts it again) while a developer connects Bitbucket and creates environments, and readers keep
// asking for the runner and environment lists through HAProxy. Not one request may fail: reads
// are retried on another instance by HAProxy, writes carry an Idempotency-Key, the draining
// instance finishes what it has, and the runner and the event streams move at once.
const PR_URL = 'https://bitbucket.org/acme/widgets/pull-requests/1';

interface Failure {
  what: string;
  status: number | string;
}

/** Readers asking for a list through HAProxy until stopped; every answer that is not 200 is kept. */
function keepReading(browser: TestBrowser, paths: string[], failures: Failure[]) {
  let running = true;
  let count = 0;
  const loops = paths.map(async (p) => {
    while (running) {
      try {
        const res = await browser.api(cluster.dashboard, 'GET', p);
        if (res.status !== 200) failures.push({ what: `GET ${p}`, status: res.status });
      } catch (err) {
        failures.push({ what: `GET ${p}`, status: (err as Error).message });
      }
      count++;
    }
  });
  return {
    get count() {
      return count;
    },
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** POST /api/environments once (an Idempotency-Key, as the dashboard sends): must answer 201 the first time. */
async function createEnvironment(dev: TestBrowser, runnerId: string, failures: Failure[]): Promise<string | undefined> {
  const res = await dev.api(cluster.dashboard, 'POST', '/api/environments', { contextUrl: PR_URL, runnerId }, { 'idempotency-key': randomUUID() });
  if (res.status !== 201) {
    failures.push({ what: 'POST /api/environments', status: res.status });
    return undefined;
  }
  return res.body.id as string;
}

test('every instance SIGTERMed in turn: a Connect and the environment list stay correct, and no request fails', async () => {
  test.setTimeout(300_000);
  const admin = await signedInBrowser('admin@acme.test', 'admin');
  const dev = await signedInBrowser('dev@acme.test', 'dev');
  const runnerId = await configureBitbucket(admin);
  const failures: Failure[] = [];
  const created: string[] = [];
  const readers = keepReading(dev, ['/api/runners', '/api/environments', '/api/runners', '/api/environments'], failures);
  try {
    for (const instance of cluster.instances) {
      const linkBefore = await linkInstanceIdOf();
      let pid = 0;
      // SIGTERM once Bitbucket has answered and the flow is redeemed, before the browser is back.
      const flowId = await connectThroughHttp(dev, runnerId, 'alice', async () => {
        pid = terminateInstance(instance);
      });
      const flow = await waitUntil(
        () => dev.api(cluster.dashboard, 'GET', `/api/connect/flows/${flowId}`),
        (r) => r.status === 200 && r.body.status !== 'redeemed' && r.body.status !== 'started',
        20_000,
      );
      expect(flow.body, `Connect while ${instance} drains`).toMatchObject({ status: 'connected', accountName: 'Alice' });
      // Writes while it drains and restarts.
      for (let i = 0; i < 3; i++) {
        const id = await createEnvironment(dev, runnerId, failures);
        if (id) created.push(id);
      }
      await waitUntilReady(instance, pid);
      // The runner is linked (to whichever instance) again.
      await waitUntil(() => linkInstanceIdOf(), (id) => id !== undefined, 10_000);
      test.info().annotations.push({ type: 'restart', description: `${instance}: link before ${linkBefore ?? 'none'}` });
    }
  } finally {
    await readers.stop();
  }
  expect(failures).toEqual([]);
  expect(readers.count).toBeGreaterThan(50);
  // The environment list shows every environment created, once.
  const list = await dev.api(cluster.dashboard, 'GET', '/api/environments?limit=100');
  expect(list.status).toBe(200);
  const ids = (list.body.environments as { id: string }[]).map((e) => e.id);
  expect(created.filter((id) => !ids.includes(id))).toEqual([]);
  expect(new Set(ids).size).toBe(ids.length);

  // Once more with every instance up, then each instance's live /metrics passes promtool and the
  // Connect is counted on one of them.
  const lastFlow = await connectThroughHttp(dev, runnerId, 'alice');
  await waitUntil(() => dev.api(cluster.dashboard, 'GET', `/api/connect/flows/${lastFlow}`), (r) => r.status === 200 && r.body.status === 'connected', 20_000);
  const promtool = findPromtool();
  let completed = 0;
  for (const instance of cluster.instances) {
    const text = await (await fetch(metricsUrlOf(instance))).text();
    completed += Number(/^runner_console_connect_flows_completed_total (\d+)$/m.exec(text)?.[1] ?? 0);
    if (!promtool) continue;
    const check = promtoolCheckMetrics(promtool, text);
    expect(check.output, `promtool check metrics on ${instance}`).toBe('');
    expect(check.status).toBe(0);
  }
  if (!promtool) console.warn('SKIPPED the promtool check: promtool is not installed (apt-get install prometheus, or set PROMTOOL).');
  expect(completed).toBeGreaterThanOrEqual(1);
  console.log(`${readers.count} reads and ${created.length} environment creates across 3 SIGTERMs, 0 failed`);
});
