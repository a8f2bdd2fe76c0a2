import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { linkCloseCodes } from '@runner-console/contracts';
import { startSignedInBff } from './signed-in-bff.ts';
import type { TestBff } from './test-bff.ts';
import type { TestApiClient } from './api-client.ts';
import { connectFakeRunner } from './fake-runner.ts';
import { openEvents } from './wait-for.ts';
import { insertStartedFlow } from './started-flow.ts';
import { findPromtool, promtoolCheckMetrics } from '../../../test-support/promtool.ts';

// What an operator relies on: /healthz (alive) apart from /readyz (database answers, migrations
// done, not draining), draining on SIGTERM, and Prometheus metrics on their own listener.
let bff: TestBff;
let admin: TestApiClient;
let dev: TestApiClient;

beforeAll(async () => {
  ({ bff, admin, dev } = await startSignedInBff({ METRICS_PORT: '0', DRAIN_DELAY_MS: '400' }));
});
afterAll(async () => {
  await bff?.close();
});

async function newRunner(name: string, handlers?: Parameters<typeof connectFakeRunner>[2]) {
  const created = await admin.request('POST', '/api/runners', { name: `${name} ${Date.now()}` });
  expect(created.status).toBe(201);
  const link = await connectFakeRunner(bff.url, created.body.runnerToken as string, handlers);
  return { id: created.body.runner.id as string, link };
}

async function scrape(): Promise<string> {
  const res = await fetch(bff.metricsUrl!);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

describe('/healthz and /readyz', () => {
  it('are both 200 on an instance that is up', async () => {
    expect((await fetch(`${bff.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${bff.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });
  });

  it('/readyz is 503 while a migration this code knows is not applied; /healthz stays 200', async () => {
    const last = await bff.db.selectFrom('kysely_migration' as never).selectAll().orderBy(sql.ref('name'), 'desc').limit(1).executeTakeFirstOrThrow();
    const { name, timestamp } = last as { name: string; timestamp: string };
    await sql`delete from kysely_migration where name = ${name}`.execute(bff.db);
    try {
      const ready = await fetch(`${bff.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ ready: false, reason: 'migrations are not done' });
      expect((await fetch(`${bff.url}/healthz`)).status).toBe(200);
    } finally {
      await sql`insert into kysely_migration (name, timestamp) values (${name}, ${timestamp})`.execute(bff.db);
    }
    expect((await fetch(`${bff.url}/readyz`)).status).toBe(200);
  });
});

describe('Prometheus metrics', () => {
  it('are served on their own listener only, by route pattern, and pass promtool after a Connect', async () => {
    const runner = await newRunner('metrics');
    try {
      expect((await admin.request('GET', `/api/runners/${runner.id}`)).status).toBe(200);
      expect((await admin.request('GET', `/api/runners/${runner.id}/integrations`)).status).toBe(200);
      const { flowId, redeemSecret } = await insertStartedFlow(bff.db, 'dev@acme.test', runner.id);
      await runner.link.request('redeemFlow', { flowId, redeemSecret });
      await runner.link.request('completeFlow', { flowId, status: 'connected', failureCode: null, message: 'Bitbucket is now connected as Alice.', accountName: 'Alice' });
      const events = await openEvents(bff.url, dev);
      try {
        const text = await scrape();
        expect(text).toMatch(/runner_console_http_request_duration_seconds_count\{method="GET",route="\/api\/runners\/:runnerId",status="200"\} [1-9]/);
        expect(text).toContain('route="/api/runners/:runnerId/integrations"');
        // Never a raw id in a label.
        expect(text).not.toContain(runner.id);
        expect(text).toMatch(/^runner_console_connect_flows_completed_total 1$/m);
        expect(text).toMatch(/^runner_console_connect_confirmation_seconds_count 1$/m);
        expect(text).toMatch(/^runner_console_connect_flows_started_total \d+$/m);
        expect(text).toMatch(/^runner_console_runner_links_connected [1-9]\d*$/m);
        expect(text).toMatch(/^runner_console_event_streams_open [1-9]\d*$/m);
        expect(text).toContain('runner_console_cluster_bus_lag_seconds');
        if (bff.config.databaseUrl) {
          expect(text).toMatch(/^runner_console_db_pool_in_use \d+$/m);
          expect(text).toMatch(/^runner_console_db_pool_waiting \d+$/m);
        }
        // The public listener has no metrics (the dashboard's page answers there).
        expect(await (await fetch(`${bff.url}/metrics`)).text()).not.toContain('runner_console_http_request_duration_seconds');

        const promtool = findPromtool();
        if (!promtool) {
          console.warn('SKIPPED the promtool check: promtool is not installed (apt-get install prometheus, or set PROMTOOL).');
          return;
        }
        const check = promtoolCheckMetrics(promtool, text);
        expect(check.output).toBe('');
        expect(check.status).toBe(0);
      } finally {
        await events.close();
      }
    } finally {
      runner.link.close();
    }
  });
});

describe('draining (SIGTERM)', () => {
  it('answers /readyz 503, finishes requests in flight, tells streams and runner links to reconnect, then stops', async () => {
    let releasePing: () => void = () => {};
    const runner = await newRunner('drain', { ping: () => new Promise((resolve) => (releasePing = () => resolve({ version: 'slow' }))) });
    const events = await openEvents(bff.url, dev);
    const inFlight = admin.request('POST', `/api/runners/${runner.id}/ping`);
    await new Promise((r) => setTimeout(r, 100));

    const drainStarted = Date.now();
    const drained = bff.drain();
    const ready = await fetch(`${bff.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ready: false, reason: 'draining' });
    // Still served meanwhile (the load balancer has not noticed yet), without keeping the connection.
    const served = await admin.request('GET', '/api/runners');
    expect(served.status).toBe(200);
    expect(served.headers.get('connection')).toBe('close');

    // The stream is told to reconnect once the delay is over; the runner link waits for the request.
    expect(await events.next('event: reconnect', 3_000)).toContain('event: reconnect');
    const linkClosed = await Promise.race([runner.link.closed, new Promise((r) => setTimeout(() => r('open'), 200))]);
    expect(linkClosed).toBe('open');
    releasePing();
    expect((await inFlight).status).toBe(200);
    expect(await runner.link.closed).toEqual({ code: linkCloseCodes.reconnect, reason: 'BFF instance draining: reconnect' });

    await drained;
    // Done when the work is done, not at DRAIN_TIMEOUT_MS (15 s).
    expect(Date.now() - drainStarted).toBeLessThan(5_000);
    await expect(fetch(`${bff.url}/healthz`)).rejects.toThrow();
  });
});
