import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBff, type TestBff } from './test-bff.ts';
import { TestApiClient } from './api-client.ts';
import { startSignedInBff } from './signed-in-bff.ts';
import { setupCodeFrom } from './setup-code.ts';
import { createMemberService } from '../src/services/member-service.ts';
import { createAuthService } from '../src/services/auth-service.ts';
import { createAuditStore } from '../src/store/audit-store.ts';
import { createLogger } from '../src/logger.ts';


const tokenOf = (url: string) => url.slice(url.indexOf('#') + 1);
const newPassword = 'correct horse battery staple';

describe('first-run set-up (NODE_ENV=production: no seed)', () => {
  let t: TestBff;
  beforeAll(async () => {
    t = await startTestBff({ NODE_ENV: 'production' });
  });
  afterAll(() => t.close());

  it('logs a set-up code, refuses a wrong one, and creates the organization and its admin once', async () => {
    const code = setupCodeFrom(t.logLines);
    expect(code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    const browser = new TestApiClient(t.url);
    expect((await browser.request('GET', '/api/setup')).body).toEqual({ setupNeeded: true });
    // The page itself (200, or 503 where the dashboard is not built) until set-up is done.
    expect((await fetch(`${t.url}/setup`)).status).not.toBe(404);
    expect((await browser.request('GET', '/api/auth/session')).body.user).toBeNull();

    const body = { orgName: 'Initech', name: 'Peter Gibbons', email: ' Peter@Initech.test ', password: newPassword, code: 'AAAA-BBBB-CCCC-DDDD' };
    const wrong = await browser.request('POST', '/api/setup', body);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields.code).toMatch(/set-up code/);
    const weak = await browser.request('POST', '/api/setup', { ...body, password: 'short', code });
    expect(weak.status).toBe(400);
    expect(weak.body.error.fields.password).toMatch(/at least 12 characters/);
    expect(await t.db.selectFrom('users').select('id').execute()).toEqual([]);

    // Typed by hand: lower case and without dashes is the same code.
    const done = await browser.request('POST', '/api/setup', { ...body, code: code.toLowerCase().replaceAll('-', '') });
    expect(done.status).toBe(201);
    expect(done.body.user).toMatchObject({ email: 'peter@initech.test', name: 'Peter Gibbons', role: 'admin', orgName: 'Initech' });
    expect((await browser.request('GET', '/api/auth/session')).body.user.email).toBe('peter@initech.test');
    expect(await t.db.selectFrom('setup_codes').selectAll().execute()).toEqual([]);

    expect((await browser.request('GET', '/api/setup')).status).toBe(404);
    expect((await fetch(`${t.url}/setup`)).status).toBe(404);
    const again = await new TestApiClient(t.url).request('POST', '/api/setup', { ...body, email: 'other@initech.test', code });
    expect(again.status).toBe(404);
    const log = await browser.request('GET', '/api/audit-log');
    expect(log.body.entries.map((e: { action: string }) => e.action)).toEqual(['org.set_up']);
    expect(log.body.entries[0]).toMatchObject({ actor: 'peter@initech.test', target: 'Initech', runnerId: null, runnerName: null });
  });
});

describe('members, invitations and password resets', () => {
  let t: TestBff;
  let admin: TestApiClient;
  let dev: TestApiClient;
  beforeAll(async () => {
    ({ bff: t, admin, dev } = await startSignedInBff());
  });
  afterAll(() => t.close());

  async function invite(email: string, role: 'admin' | 'member' = 'member') {
    const res = await admin.request('POST', '/api/invitations', { email, role });
    expect(res.status).toBe(201);
    return res.body as { invitation: { id: string }; url: string; emailed: boolean };
  }

  it('an invitation link makes a member with its role, once; the list shows them', async () => {
    const created = await invite('Grace@Acme.test');
    expect(created.url).toMatch(new RegExp(`^${t.url}/join#rci_`));
    expect(created.emailed).toBe(false);
    const listed = (await admin.request('GET', '/api/members')).body;
    expect(listed.invitations).toEqual([expect.objectContaining({ email: 'grace@acme.test', role: 'member', invitedBy: 'admin@acme.test' })]);
    const expiresIn = Date.parse(listed.invitations[0].expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(6.9 * 86_400_000);
    expect(expiresIn).toBeLessThanOrEqual(7 * 86_400_000);

    const invitee = new TestApiClient(t.url);
    const preview = await invitee.request('POST', '/api/invitations/preview', { token: tokenOf(created.url) });
    expect(preview.body).toMatchObject({ orgName: 'Acme', email: 'grace@acme.test', role: 'member' });
    const weak = await invitee.request('POST', '/api/invitations/accept', { token: tokenOf(created.url), name: 'Grace', password: 'grace' });
    expect(weak.status).toBe(400);
    const accepted = await invitee.request('POST', '/api/invitations/accept', { token: tokenOf(created.url), name: 'Grace Hopper', password: newPassword });
    expect(accepted.status).toBe(201);
    expect(accepted.body.user).toMatchObject({ email: 'grace@acme.test', role: 'member', orgName: 'Acme' });
    expect((await invitee.request('GET', '/api/runners')).status).toBe(200);

    const reused = await new TestApiClient(t.url).request('POST', '/api/invitations/accept', { token: tokenOf(created.url), name: 'Mallory', password: newPassword });
    expect(reused.status).toBe(404);
    const members = (await admin.request('GET', '/api/members')).body;
    expect(members.invitations).toEqual([]);
    expect(members.members.find((m: { email: string }) => m.email === 'grace@acme.test')).toMatchObject({ name: 'Grace Hopper', role: 'member', signInMethod: 'password', lastSeenAt: expect.any(String) });
    const actions = (await admin.request('GET', '/api/audit-log')).body.entries.map((e: { action: string }) => e.action);
    expect(actions.slice(0, 2)).toEqual(['invitation.accepted', 'invitation.created']);
  });

  it('refuses an invitation for an existing account, and a new invitation replaces the last', async () => {
    const existing = await admin.request('POST', '/api/invitations', { email: 'dev@acme.test', role: 'member' });
    expect(existing.status).toBe(409);
    expect(existing.body.error.fields.email).toMatch(/Already a member/);
    const first = await invite('lin@acme.test');
    const second = await invite('lin@acme.test', 'admin');
    expect((await new TestApiClient(t.url).request('POST', '/api/invitations/preview', { token: tokenOf(first.url) })).status).toBe(404);
    const invitations = (await admin.request('GET', '/api/members')).body.invitations;
    expect(invitations).toEqual([expect.objectContaining({ id: second.invitation.id, role: 'admin' })]);
    expect((await admin.request('DELETE', `/api/invitations/${second.invitation.id}`)).status).toBe(204);
    // A second click finds it revoked: still done.
    expect((await admin.request('DELETE', `/api/invitations/${second.invitation.id}`)).status).toBe(204);
    expect((await new TestApiClient(t.url).request('POST', '/api/invitations/preview', { token: tokenOf(second.url) })).status).toBe(404);
  });

  it('never leaves the organization without an admin, also when two admins demote each other at once', async () => {
    const members = (await admin.request('GET', '/api/members')).body.members as { id: string; email: string }[];
    const adminId = members.find((m) => m.email === 'admin@acme.test')!.id;
    expect((await admin.request('PATCH', `/api/members/${adminId}`, { role: 'member' })).status).toBe(409);
    expect((await admin.request('DELETE', `/api/members/${adminId}`)).status).toBe(409);

    const second = await invite('second-admin@acme.test', 'admin');
    const other = new TestApiClient(t.url);
    const otherId = (await other.request('POST', '/api/invitations/accept', { token: tokenOf(second.url), name: 'Second Admin', password: newPassword })).body.user.id;
    // Both requests past the route's admin check at once: the service's transaction decides.
    const service = createMemberService({ db: t.db, auth: createAuthService(t.db), audit: createAuditStore(t.db), log: createLogger('silent', 'test'), publicUrl: t.url, onMemberRemoved: async () => undefined });
    const asAdmin = (await admin.request('GET', '/api/auth/session')).body.user;
    const asOther = (await other.request('GET', '/api/auth/session')).body.user;
    const outcomes = await Promise.allSettled([service.changeRole(asAdmin, otherId, 'member'), service.changeRole(asOther, adminId, 'member')]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ status: 409 });
    const admins = await t.db.selectFrom('users').select('id').where('role', '=', 'admin').execute();
    expect(admins).toHaveLength(1);
    // Put things back for the other tests: admin@acme.test is the admin, the other one is gone.
    if (admins[0]!.id !== adminId) await service.changeRole(asOther, adminId, 'admin');
    expect((await admin.request('DELETE', `/api/members/${otherId}`)).status).toBe(204);
  });

  it('removing a member ends their open session at its next request', async () => {
    const created = await invite('leaver@acme.test');
    const leaver = new TestApiClient(t.url);
    const id = (await leaver.request('POST', '/api/invitations/accept', { token: tokenOf(created.url), name: 'Leaver', password: newPassword })).body.user.id;
    expect((await leaver.request('GET', '/api/environments')).status).toBe(200);
    expect((await admin.request('DELETE', `/api/members/${id}`)).status).toBe(204);
    expect((await leaver.request('GET', '/api/environments')).status).toBe(401);
    expect((await admin.request('DELETE', `/api/members/${id}`)).status).toBe(404);
    expect(await t.db.selectFrom('sessions').select('id_hash').where('user_id', '=', id).execute()).toEqual([]);
    const entry = (await admin.request('GET', '/api/audit-log')).body.entries[0];
    expect(entry).toMatchObject({ action: 'member.removed', target: 'leaver@acme.test', actor: 'admin@acme.test' });
  });

  it('a password reset link sets a new password once and ends the old sessions', async () => {
    const devId = (await dev.request('GET', '/api/auth/session')).body.user.id;
    const first = (await admin.request('POST', `/api/members/${devId}/password-reset`)).body;
    const link = await admin.request('POST', `/api/members/${devId}/password-reset`);
    expect(link.status).toBe(201);
    expect(link.body.url).toMatch(new RegExp(`^${t.url}/reset-password#rcr_`));
    // The newer link replaced the first.
    expect((await new TestApiClient(t.url).request('POST', '/api/password-resets/preview', { token: tokenOf(first.url) })).status).toBe(404);
    const browser = new TestApiClient(t.url);
    expect((await browser.request('POST', '/api/password-resets/preview', { token: tokenOf(link.body.url) })).body.email).toBe('dev@acme.test');
    expect((await browser.request('POST', '/api/password-resets/complete', { token: tokenOf(link.body.url), password: newPassword })).status).toBe(204);
    expect((await dev.request('GET', '/api/environments')).status).toBe(401);
    expect((await browser.request('POST', '/api/password-resets/complete', { token: tokenOf(link.body.url), password: 'another long password' })).status).toBe(404);
    await browser.signIn('dev@acme.test', newPassword);
    // And back, through Account › Change password: the other sessions end, this one stays.
    const wrong = await browser.request('POST', '/api/account/password', { currentPassword: 'nope', newPassword: 'dev-password-long' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields.currentPassword).toBeTruthy();
    const elsewhere = new TestApiClient(t.url);
    await elsewhere.signIn('dev@acme.test', newPassword);
    expect((await browser.request('POST', '/api/account/password', { currentPassword: newPassword, newPassword: 'dev-password-long' })).status).toBe(204);
    expect((await browser.request('GET', '/api/environments')).status).toBe(200);
    expect((await elsewhere.request('GET', '/api/environments')).status).toBe(401);
    await new TestApiClient(t.url).signIn('dev@acme.test', 'dev-password-long');
  });

  it('the org-wide audit log pages through org and runner entries, with the runner name', async () => {
    const runner = await admin.request('POST', '/api/runners', { name: 'audit runner' });
    expect(runner.status).toBe(201);
    const page = await admin.request('GET', '/api/audit-log?limit=2');
    expect(page.body.entries).toHaveLength(2);
    expect(page.body.entries[0]).toMatchObject({ action: 'runner.created', runnerId: runner.body.runner.id, runnerName: 'audit runner' });
    const next = await admin.request('GET', `/api/audit-log?limit=200&cursor=${page.body.nextCursor}`);
    expect(next.body.entries.length).toBeGreaterThan(3);
    expect(next.body.entries.some((e: { id: string }) => e.id === page.body.entries[0].id)).toBe(false);
    expect(next.body.entries.every((e: { runnerId: string | null }) => e.runnerId === null || typeof e.runnerId === 'string')).toBe(true);
    expect((await dev.request('GET', '/api/audit-log')).status).not.toBe(200);
  });
});
