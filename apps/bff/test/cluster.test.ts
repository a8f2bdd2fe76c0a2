import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBff, localRunnerToken, type TestBff } from './test-bff.ts';
import { TestApiClient, signedIn } from './api-client.ts';
import { connectFakeRunner } from './fake-runner.ts';
import { eventually, openEvents } from './wait-for.ts';
import { insertStartedFlow } from './started-flow.ts';
import { createPostgresDatabase } from '../../../test-support/postgres-database.ts';
import { setupCodeFrom } from './setup-code.ts';

// Several BFF instances on one PostgreSQL database (PostgreSQL project only): any instance serves
// any request. Three instances, started together as `npm run start:cluster` starts them.
let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
let a: TestBff, b: TestBff, c: TestBff;
let admin: TestApiClient;

beforeAll(async () => {
  database = await createPostgresDatabase();
  [a, b, c] = (await Promise.all([1, 2, 3].map(() => startTestBff({ DATABASE_URL: database.url })))) as [TestBff, TestBff, TestBff];
  admin = await signedIn(a.url, 'admin');
});
afterAll(async () => {
  await Promise.all([a, b, c].map((x) => x?.close()));
  await database?.drop();
});

async function localRunnerId(client: TestApiClient): Promise<string> {
  const res = await client.request('GET', '/api/runners');
  return res.body.runners.find((r: { name: string }) => r.name === 'Local runner').id;
}

describe('a cluster of BFF instances on one PostgreSQL database', () => {
  it('seeds once although the instances started together', async () => {
    const orgs = await a.db.selectFrom('orgs').select('name').where('name', '=', 'Acme').execute();
    expect(orgs).toHaveLength(1);
    const users = await a.db.selectFrom('users').select('email').execute();
    expect(users.map((u) => u.email).sort()).toEqual(['admin@acme.test', 'dev@acme.test']);
  });

  it('keeps a session signed in on every instance, and signs it out on every instance at once', async () => {
    const dev = await signedIn(a.url, 'dev');
    expect((await dev.at(b.url).request('GET', '/api/runners')).status).toBe(200);
    expect((await dev.at(c.url).request('GET', '/api/runners')).status).toBe(200);
    const cookies = dev.cookieHeader();
    await dev.at(b.url).request('POST', '/api/auth/sign-out');
    // The session was cached on a and c a moment ago; sign-out on b must end it there too, now.
    for (const url of [a.url, c.url]) {
      const res = await fetch(`${url}/api/runners`, { headers: { cookie: cookies } });
      expect(res.status).toBe(401);
    }
  });

  it("ends a removed member's sessions on every instance at once; set-up is 404 on every instance", async () => {
    const invitation = (await admin.request('POST', '/api/invitations', { email: 'cluster-leaver@acme.test', role: 'member' })).body;
    const leaver = new TestApiClient(c.url);
    const id = (await leaver.request('POST', '/api/invitations/accept', { token: invitation.url.split('#')[1], name: 'Leaver', password: 'a long enough password' })).body.user.id;
    for (const url of [a.url, b.url, c.url]) expect((await leaver.at(url).request('GET', '/api/runners')).status).toBe(200);
    expect((await admin.at(b.url).request('DELETE', `/api/members/${id}`)).status).toBe(204);
    // Cached on a and c a moment ago: the removal on b ends it there too, now.
    for (const url of [a.url, c.url]) expect((await leaver.at(url).request('GET', '/api/runners')).status).toBe(401);
    for (const url of [a.url, b.url, c.url]) expect((await new TestApiClient(url).request('GET', '/api/setup')).status).toBe(404);
  });

  it('forwards any runner-link request to the instance holding the link', async () => {
    const runner = await connectFakeRunner(a.url, localRunnerToken, {
      ping: () => ({ version: 'fake-1' }),
      // A method the BFF has no special knowledge of: forwarding is by name and params.
      listTokens: (params: { userId: string }) => ({ tokens: [], seenUser: params.userId }),
    });
    try {
      const runnerId = await localRunnerId(admin);
      for (const instance of [b, c]) {
        const res = await eventually(
          () => admin.at(instance.url).request('POST', `/api/runners/${runnerId}/ping`),
          (r) => r.status === 200,
        );
        expect(res.body).toMatchObject({ ok: true, runnerVersion: 'fake-1' });
      }
      const auths = await admin.at(c.url).request('GET', '/api/git-authentications');
      expect(auths.status).toBe(200);
      expect(auths.body.unreachableRunners).toEqual([]);
    } finally {
      runner.close();
    }
  });

  it('a new token or a delete on one instance disconnects the runner whose link is on another', async () => {
    const created = await admin.at(a.url).request('POST', '/api/runners', { name: `cluster revoke ${Date.now()}` });
    const runnerId = created.body.runner.id as string;
    const runner = await connectFakeRunner(c.url, created.body.runnerToken as string, { ping: () => ({ version: 'on-c' }) });
    try {
      // a knows that c holds the link (it can ping through it) before it replaces the token.
      await eventually(() => admin.at(a.url).request('POST', `/api/runners/${runnerId}/ping`), (r) => r.body?.runnerVersion === 'on-c');
      const replaced = await admin.at(a.url).request('POST', `/api/runners/${runnerId}/token`);
      expect(replaced.status).toBe(200);
      expect(await runner.closed).toEqual({ code: 4004, reason: expect.stringMatching(/token revoked/) });
      await expect(connectFakeRunner(b.url, created.body.runnerToken as string)).rejects.toThrow('refused: 401');
      const again = await connectFakeRunner(c.url, replaced.body.runnerToken as string, { ping: () => ({ version: 'on-c' }) }, { keyPair: runner.keyPair });
      await eventually(() => admin.at(b.url).request('POST', `/api/runners/${runnerId}/ping`), (r) => r.body?.runnerVersion === 'on-c');
      expect((await admin.at(b.url).request('DELETE', `/api/runners/${runnerId}`)).status).toBeLessThan(300);
      expect(await again.closed).toEqual({ code: 4003, reason: expect.stringMatching(/deleted/) });
    } finally {
      runner.close();
    }
  });

  it('a Connect result reported to another instance than the one that redeemed the flow reaches the dashboard once, on a third', async () => {
    const created = await admin.at(a.url).request('POST', '/api/runners', { name: `cluster result ${Date.now()}` });
    const token = created.body.runnerToken as string;
    const events = await openEvents(c.url, admin);
    const first = await connectFakeRunner(a.url, token);
    let second: Awaited<ReturnType<typeof connectFakeRunner>> | undefined;
    try {
      const { flowId, redeemSecret } = await insertStartedFlow(a.db, 'admin@acme.test', created.body.runner.id as string);
      await first.request('redeemFlow', { flowId, redeemSecret });
      // The link moves (a's link dropped) before the result is reported: b has no memory of the flow.
      first.close();
      second = await connectFakeRunner(b.url, token);
      const report = { flowId, status: 'connected', failureCode: null, message: 'Bitbucket is now connected as Alice.', accountName: 'Alice' };
      await second.request('completeFlow', report);
      const results = (await events.next(flowId)).split('\n\n').filter((e) => e.startsWith('event: connect.result') && e.includes(flowId));
      expect(results).toHaveLength(1);
      expect(results[0]).toContain('Bitbucket is now connected as Alice.');
      expect((await events.drain(300)).includes(flowId)).toBe(false);
      await expect(second.request('completeFlow', report)).rejects.toMatchObject({ code: 'flow_invalid' });
      expect(await c.db.selectFrom('oauth_flows').select(['status', 'message']).where('id', '=', flowId).executeTakeFirst()).toEqual({ status: 'connected', message: report.message });
    } finally {
      await events.close();
      first.close();
      second?.close();
    }
  });

  it('follows a runner that reconnects to another instance', async () => {
    const runnerId = await localRunnerId(admin);
    const first = await connectFakeRunner(a.url, localRunnerToken, { ping: () => ({ version: 'on-a' }) });
    await eventually(() => admin.at(c.url).request('POST', `/api/runners/${runnerId}/ping`), (r) => r.body?.runnerVersion === 'on-a');
    first.close();
    const second = await connectFakeRunner(b.url, localRunnerToken, { ping: () => ({ version: 'on-b' }) });
    try {
      const res = await eventually(() => admin.at(c.url).request('POST', `/api/runners/${runnerId}/ping`), (r) => r.body?.runnerVersion === 'on-b');
      expect(res.status).toBe(200);
      // a saw its link close after b had the runner: it must not have marked it inactive.
      const detail = await eventually(() => admin.at(a.url).request('GET', `/api/runners/${runnerId}`), (r) => r.body?.phase === 'active');
      expect(detail.body.phase).toBe('active');
    } finally {
      second.close();
    }
    const gone = await eventually(() => admin.at(c.url).request('POST', `/api/runners/${runnerId}/ping`), (r) => r.status !== 200);
    expect(gone.body.error.code).toBe('runner_offline');
  });

  it('sends server events to a browser whose stream is on another instance', async () => {
    const events = await openEvents(c.url, admin);
    try {
      const created = await admin.at(a.url).request('POST', '/api/runners', { name: `cluster events ${Date.now()}` });
      expect(created.status).toBe(201);
      const event = await events.next(created.body.runner.id);
      expect(event).toContain('event: runner.changed');
    } finally {
      await events.close();
    }
  });

  it('drops cached runner rows and integration pages on every instance when they change elsewhere', async () => {
    const created = await admin.at(a.url).request('POST', '/api/runners', { name: `cluster cache ${Date.now()}` });
    const runnerId = created.body.runner.id as string;
    // Warm the caches of b: the runner row and its (empty) integrations page.
    expect((await admin.at(b.url).request('GET', `/api/runners/${runnerId}`)).body.phase).toBe('created');
    expect((await admin.at(b.url).request('GET', `/api/runners/${runnerId}/integrations`)).body.integrations).toEqual([]);
    // The runner connects to c (so its phase and key change there), and an integration is added on c.
    const runnerToken = created.body.runnerToken as string;
    const runner = await connectFakeRunner(c.url, runnerToken, { ping: () => ({ version: 'x' }), configure: () => ({ ok: true }), validateIntegration: () => ({ status: 'valid', message: 'ok', field: null }), validateCandidate: () => ({ status: 'valid', message: 'ok', field: null }) });
    try {
      const active = await eventually(() => admin.at(b.url).request('GET', `/api/runners/${runnerId}`), (r) => r.body?.phase === 'active', 2_000);
      expect(active.body.publicKey?.kid).toBe(runner.publicJwk.kid);
      const added = await admin.at(c.url).request('POST', `/api/runners/${runnerId}/integrations`, {
        provider: 'bitbucket',
        host: 'bitbucket.org',
        oauthEnabled: true,
        clientId: 'cluster-key',
        oauthPlaintextClientSecret: 'cluster-secret',
      });
      expect(added.status).toBe(201);
      const page = await eventually(
        () => admin.at(b.url).request('GET', `/api/runners/${runnerId}/integrations`),
        (r) => r.body?.integrations?.length === 1,
        2_000,
      );
      expect(page.body.integrations[0].clientId).toBe('cluster-key');
    } finally {
      runner.close();
    }
  });

  it('counts failed sign-ins across instances', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const instance = [a, b, c][i % 3]!;
      statuses.push((await new TestApiClient(instance.url).request('POST', '/api/auth/sign-in', { email: 'cluster-limited@acme.test', password: 'wrong' })).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it('marks a runner inactive when the instance holding its link dies with it', async () => {
    const runnerId = await localRunnerId(admin);
    const runner = await connectFakeRunner(a.url, localRunnerToken, { ping: () => ({ version: 'x' }) }, { heartbeat: false });
    // Simulate a crash of a's side: the link row says a, but nobody heartbeats or closes it cleanly.
    runner.ws.pause();
    await eventually(() => admin.at(b.url).request('GET', `/api/runners/${runnerId}`), (r) => r.body?.phase === 'inactive', 5_000);
    runner.close();
  });
});

describe('first-run set-up of a cluster (NODE_ENV=production, no seed)', () => {
  it("each instance logs its own code; any instance accepts any of them, once", async () => {
    const fresh = await createPostgresDatabase();
    const [x, y] = (await Promise.all([1, 2].map(() => startTestBff({ DATABASE_URL: fresh.url, NODE_ENV: 'production' })))) as [TestBff, TestBff];
    try {
      const codeOfX = setupCodeFrom(x.logLines);
      expect(setupCodeFrom(y.logLines)).not.toBe(codeOfX);
      const body = { orgName: 'Initech', name: 'Olivia Ops', email: 'ops@initech.test', password: 'a long enough password', code: codeOfX };
      expect((await new TestApiClient(y.url).request('POST', '/api/setup', body)).status).toBe(201);
      expect((await new TestApiClient(x.url).request('GET', '/api/setup')).status).toBe(404);
      expect((await new TestApiClient(x.url).request('POST', '/api/setup', { ...body, code: setupCodeFrom(y.logLines) })).status).toBe(404);
    } finally {
      await Promise.all([x.close(), y.close()]);
      await fresh.drop();
    }
  });
});
