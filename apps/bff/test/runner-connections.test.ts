import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBff } from './test-bff.ts';
import { startSignedInBff } from './signed-in-bff.ts';
import type { TestApiClient } from './api-client.ts';
import { connectFakeRunner } from './fake-runner.ts';
import { createOtherOrgAdmin } from './other-org.ts';
import { TestApiClient as Client } from './api-client.ts';
import { eventually } from './wait-for.ts';

let t: TestBff;
let admin: TestApiClient;
let dev: TestApiClient;
let devId: string;
let adminId: string;
beforeAll(async () => {
  ({ bff: t, admin, dev } = await startSignedInBff());
  devId = (await dev.request('GET', '/api/auth/session')).body.user.id;
  adminId = (await admin.request('GET', '/api/auth/session')).body.user.id;
});
afterAll(() => t.close());

const SECRET = 'access-token-that-must-never-leave-the-runner';

type Token = { id: string; userId: string; accountName: string };
const connectionOf = (tok: Token) => ({
  id: tok.id,
  userId: tok.userId,
  host: 'bitbucket.org',
  integrationId: 'int-1',
  method: 'oauth',
  accountName: tok.accountName,
  accountUsername: 'alice',
  scopes: ['account', 'repository'],
  expiresAt: '2026-12-07T10:00:00.000Z',
  lastUsedAt: '2026-12-06T09:00:00.000Z',
  connectedAt: '2026-12-01T09:00:00.000Z',
  needsReauthorization: false,
});

/** A runner that holds tokens in memory and answers the connection methods as the real one does. */
function runnerHandlers(tokens: Token[], calls: { method: string; params: any }[]) {
  return {
    configure: () => {
      calls.push({ method: 'configure', params: null });
      return { applied: 0 };
    },
    listTokens: () => ({ tokens: [] }),
    // A runner that wrongly sends the token along: the BFF must drop it.
    listConnections: () => ({ connections: tokens.map((tok) => ({ ...connectionOf(tok), accessToken: SECRET })) }),
    revokeConnection: (params: { tokenId: string }) => {
      calls.push({ method: 'revokeConnection', params });
      const i = tokens.findIndex((tok) => tok.id === params.tokenId);
      if (i < 0) throw Object.assign(new Error('That connection no longer exists on this runner.'), { code: 'not_found' });
      const [gone] = tokens.splice(i, 1);
      return { connection: connectionOf(gone!), atProvider: 'not_supported' };
    },
    eraseUserConnections: (params: { userId: string }) => {
      calls.push({ method: 'eraseUserConnections', params });
      const before = tokens.length;
      for (let i = tokens.length - 1; i >= 0; i--) if (tokens[i]!.userId === params.userId) tokens.splice(i, 1);
      return { erased: before - tokens.length, revokedAtProvider: 0 };
    },
  };
}

async function newRunner(tokens: Token[], opts: { connect?: boolean } = {}) {
  const created = await admin.request('POST', '/api/runners', { name: `connections ${Math.random().toString(36).slice(2, 8)}` });
  const calls: { method: string; params: any }[] = [];
  const token = created.body.runnerToken as string;
  const connect = () => connectFakeRunner(t.url, token, runnerHandlers(tokens, calls));
  const runner = opts.connect === false ? undefined : await connect();
  return { runnerId: created.body.runner.id as string, runner, calls, connect };
}

describe('Runner › Connections', () => {
  it('lists every developer’s connection with their name and e-mail, and never a token', async () => {
    const { runnerId, runner } = await newRunner([
      { id: 'tok-dev', userId: devId, accountName: 'Dev at Bitbucket' },
      { id: 'tok-gone', userId: 'user-no-longer-here', accountName: 'Former' },
    ]);
    const res = await admin.request('GET', `/api/runners/${runnerId}/connections`);
    expect(res.status).toBe(200);
    expect(res.body.connections).toHaveLength(2);
    expect(res.body.connections[0]).toMatchObject({ id: 'tok-dev', userId: devId, userName: expect.any(String), userEmail: 'dev@acme.test', method: 'oauth', scopes: ['account', 'repository'], lastUsedAt: '2026-12-06T09:00:00.000Z' });
    expect(res.body.connections[1]).toMatchObject({ userName: null, userEmail: null });
    expect(res.text).not.toContain(SECRET);
    expect(res.text).not.toContain('accessToken');
    runner!.close();
  });

  it('a member and another organization’s admin can neither list nor revoke', async () => {
    const tokens = [{ id: 'tok-admin', userId: adminId, accountName: 'Admin' }];
    const { runnerId, runner, calls } = await newRunner(tokens);
    expect((await dev.request('GET', `/api/runners/${runnerId}/connections`)).status).toBe(403);
    expect((await dev.request('DELETE', `/api/runners/${runnerId}/connections/tok-admin`)).status).toBe(403);
    const other = await createOtherOrgAdmin(t.db);
    const otherAdmin = new Client(t.url);
    await otherAdmin.signIn(other.email, other.password);
    expect((await otherAdmin.request('GET', `/api/runners/${runnerId}/connections`)).status).toBe(404);
    expect((await otherAdmin.request('DELETE', `/api/runners/${runnerId}/connections/tok-admin`)).status).toBe(404);
    expect(calls.filter((c) => c.method !== 'configure')).toEqual([]);
    expect(tokens).toHaveLength(1);
    runner!.close();
  });

  it('an admin revokes a developer’s connection: the runner erases it, the audit log says who and whose; a second click answers 404', async () => {
    const tokens = [{ id: 'tok-dev', userId: devId, accountName: 'Dev at Bitbucket' }];
    const { runnerId, runner, calls } = await newRunner(tokens);
    const res = await admin.request('DELETE', `/api/runners/${runnerId}/connections/tok-dev`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ atProvider: 'not_supported' });
    expect(tokens).toEqual([]);
    expect(calls.filter((c) => c.method !== 'configure')).toEqual([{ method: 'revokeConnection', params: { tokenId: 'tok-dev' } }]);

    const again = await admin.request('DELETE', `/api/runners/${runnerId}/connections/tok-dev`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('not_found');

    const log = await admin.request('GET', `/api/runners/${runnerId}/audit-log`);
    const entry = log.body.entries.find((e: { action: string }) => e.action === 'git_authentication.revoked');
    expect(entry).toMatchObject({ actor: 'admin@acme.test', target: 'Bitbucket (Dev at Bitbucket)' });
    expect(entry.details).toMatchObject({ userId: devId, userEmail: 'dev@acme.test', host: 'bitbucket.org', atProvider: 'not_supported' });
    expect(log.text).not.toContain(SECRET);

    // The developer's Git authentications says why the connection is gone; nobody else's does.
    const mine = await dev.request('GET', '/api/git-authentications');
    expect(mine.body.endedByAdmin).toContainEqual(expect.objectContaining({ runnerId, host: 'bitbucket.org', reason: 'revoked_by_admin' }));
    const theirs = await admin.request('GET', '/api/git-authentications');
    expect(theirs.body.endedByAdmin.filter((e: { runnerId: string }) => e.runnerId === runnerId)).toEqual([]);
    runner!.close();
  });

  it('says the runner is offline instead of an empty list', async () => {
    const { runnerId } = await newRunner([], { connect: false });
    const res = await admin.request('GET', `/api/runners/${runnerId}/connections`);
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({ code: 'runner_offline', message: expect.stringMatching(/offline/) });
    expect((await admin.request('DELETE', `/api/runners/${runnerId}/connections/tok`)).status).toBe(502);
  });
});

describe('offboarding: eraseMemberConnections', () => {
  it('erases a removed member’s tokens on an online runner now and on an offline one when it links again', async () => {
    const onlineTokens = [
      { id: 'on-dev', userId: devId, accountName: 'Dev' },
      { id: 'on-admin', userId: adminId, accountName: 'Admin' },
    ];
    const offlineTokens = [{ id: 'off-dev', userId: devId, accountName: 'Dev' }];
    const online = await newRunner(onlineTokens);
    const offline = await newRunner(offlineTokens, { connect: false });
    const orgId = (await admin.request('GET', '/api/auth/session')).body.user.orgId as string;

    const outcomes = await t.bff.runnerConnections.eraseMemberConnections(orgId, devId);
    expect(outcomes.find((o) => o.runnerId === online.runnerId)).toEqual({ runnerId: online.runnerId, status: 'erased', erased: 1, revokedAtProvider: 0 });
    expect(outcomes.find((o) => o.runnerId === offline.runnerId)).toEqual({ runnerId: offline.runnerId, status: 'pending' });
    expect(onlineTokens.map((tok) => tok.id)).toEqual(['on-admin']);
    expect(offlineTokens).toHaveLength(1);
    const pendingRows = await t.db.selectFrom('pending_erasures').selectAll().where('user_id', '=', devId).execute();
    // Every offline runner of the org keeps one (the other tests' runners too); the online one none.
    expect(pendingRows.map((r) => r.runner_id)).toContain(offline.runnerId);
    expect(pendingRows.map((r) => r.runner_id)).not.toContain(online.runnerId);

    // The runner starts again: the erasure is delivered with its link, and then forgotten.
    const back = await offline.connect();
    await eventually(async () => offlineTokens.length, (n) => n === 0);
    expect(offline.calls.filter((c) => c.method === 'eraseUserConnections')).toEqual([{ method: 'eraseUserConnections', params: { userId: devId } }]);
    await eventually(async () => (await t.db.selectFrom('pending_erasures').selectAll().where('runner_id', '=', offline.runnerId).execute()).length, (n) => n === 0);
    const log = await admin.request('GET', `/api/runners/${offline.runnerId}/audit-log`);
    expect(log.body.entries.find((e: { action: string }) => e.action === 'git_authentication.member_erased')).toMatchObject({
      target: 'dev@acme.test',
      details: { userId: devId, erased: 1, deliveredOnReconnect: true },
    });

    // Delivered once: linking again does not ask again.
    back.close();
    const configuredBefore = offline.calls.filter((c) => c.method === 'configure').length;
    const third = await offline.connect();
    // The configuration push goes out beside the pending erasures: once it has, so would they have.
    await eventually(async () => offline.calls.filter((c) => c.method === 'configure').length, (n) => n > configuredBefore);
    await new Promise((r) => setTimeout(r, 100));
    expect(offline.calls.filter((c) => c.method === 'eraseUserConnections')).toHaveLength(1);
    third.close();
    online.runner!.close();
  });
  it('removing a member in Settings › Members has every runner erase their tokens', async () => {
    const invited = await admin.request('POST', '/api/invitations', { email: 'leaver@acme.test', role: 'member' });
    expect(invited.status).toBe(201);
    const leaver = new Client(t.url);
    const joined = await leaver.request('POST', '/api/invitations/accept', { token: (invited.body.url as string).split('#')[1], name: 'Leaver', password: 'a long enough passphrase 1' });
    expect(joined.status).toBe(201);
    const leaverId = joined.body.user.id as string;
    const tokens = [
      { id: 'leaver-token', userId: leaverId, accountName: 'Leaver' },
      { id: 'stays', userId: adminId, accountName: 'Admin' },
    ];
    const { runnerId, runner, calls } = await newRunner(tokens);

    expect((await admin.request('DELETE', `/api/members/${leaverId}`)).status).toBe(204);
    await eventually(async () => tokens.map((tok) => tok.id).join(), (ids) => ids === 'stays');
    expect(calls.filter((c) => c.method === 'eraseUserConnections')).toEqual([{ method: 'eraseUserConnections', params: { userId: leaverId } }]);
    const log = await admin.request('GET', `/api/runners/${runnerId}/audit-log`);
    expect(log.body.entries.find((e: { action: string }) => e.action === 'git_authentication.member_erased')).toMatchObject({ target: 'leaver@acme.test', actor: 'admin@acme.test' });
    runner!.close();
  });
  it('an id no runner could hold is a 404, and the runner is not asked', async () => {
    const { runnerId, runner, calls } = await newRunner([]);
    const res = await admin.request('DELETE', `/api/runners/${runnerId}/connections/${'a'.repeat(101)}`);
    expect(res.status).toBe(404);
    expect(calls.filter((c) => c.method === 'revokeConnection')).toEqual([]);
    runner!.close();
  });
});
