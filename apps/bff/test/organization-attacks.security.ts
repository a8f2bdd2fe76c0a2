import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBff, type TestBff } from './test-bff.ts';
import { TestApiClient, signedIn } from './api-client.ts';
import { setupCodeFrom } from './setup-code.ts';
import { check } from '../../../security/support/record-security-row.ts';

/**
 * Part of `npm run test:security`: the organization's ways in. First-run set-up on a fresh
 * production BFF (rows 4 and 10), then invitation and password-reset links and member removal on
 * the seeded one. Each attack is one check.
 */
const password = 'a long enough password';
const tokenOf = (url: string) => url.slice(url.indexOf('#') + 1);

describe('first-run set-up cannot be taken over', () => {
  let t: TestBff;
  beforeAll(async () => {
    t = await startTestBff({ NODE_ENV: 'production' });
  });
  afterAll(() => t.close());

  it('a stranger with wrong codes is refused, then rate-limited; a race of two right set-ups makes one org; a second set-up is 404', async () => {
    const code = setupCodeFrom(t.logLines);
    const body = (email: string, c: string) => ({ orgName: 'Initech', name: 'Someone', email, password, code: c });
    await check('access', 'set-up with a wrong code is refused', async () => {
      const stranger = new TestApiClient(t.url);
      for (let i = 0; i < 10; i++) {
        const res = await stranger.request('POST', '/api/setup', body('stranger@evil.test', `WRNG-CODE-${String(i).padStart(4, 'X')}-AAAA`));
        expect(res.status).toBe(400);
      }
      // The eleventh wrong code in 15 minutes: paused, even with the right code, from this client.
      const limited = await stranger.request('POST', '/api/setup', body('stranger@evil.test', code));
      expect(limited.status).toBe(429);
      expect(limited.body.error.message).toMatch(/Too many wrong set-up codes/);
      expect(await t.db.selectFrom('users').select('id').execute()).toEqual([]);
    });
    await t.db.deleteFrom('rate_limit_hits').execute();

    await check('access', 'two set-ups at once with the right code: one wins', async () => {
      const [a, b] = await Promise.all([
        new TestApiClient(t.url).request('POST', '/api/setup', body('first@initech.test', code)),
        new TestApiClient(t.url).request('POST', '/api/setup', body('second@initech.test', code)),
      ]);
      expect([a.status, b.status].sort()).toEqual([201, 404]);
      expect(await t.db.selectFrom('orgs').select('id').execute()).toHaveLength(1);
      expect(await t.db.selectFrom('users').select('id').execute()).toHaveLength(1);
    });

    await check('access', 'a second set-up after the first is 404', async () => {
      const late = new TestApiClient(t.url);
      expect((await late.request('GET', '/api/setup')).status).toBe(404);
      const res = await late.request('POST', '/api/setup', body('late@evil.test', code));
      expect(res.status).toBe(404);
      expect(await t.db.selectFrom('users').select('id').execute()).toHaveLength(1);
    });
  });
});

describe('invitation and reset links, removed members', () => {
  let t: TestBff;
  let admin: TestApiClient;
  let dev: TestApiClient;
  beforeAll(async () => {
    t = await startTestBff();
    [admin, dev] = await Promise.all([signedIn(t.url, 'admin'), signedIn(t.url, 'dev')]);
  });
  afterAll(() => t.close());

  const invite = async (email: string) => (await admin.request('POST', '/api/invitations', { email, role: 'member' })).body as { url: string };

  it('an invitation link works once, not after it expired, and not for someone signed in as another user', async () => {
    const link = await invite('once@acme.test');
    await check('trust', 'an invitation link used by someone signed in as another user is refused', async () => {
      const res = await dev.request('POST', '/api/invitations/accept', { token: tokenOf(link.url), name: 'Dev', password });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(/signed in as dev@acme.test/);
      expect((await dev.request('GET', '/api/auth/session')).body.user.email).toBe('dev@acme.test');
    });
    await check('trust', 'an invitation link is single-use', async () => {
      expect((await new TestApiClient(t.url).request('POST', '/api/invitations/accept', { token: tokenOf(link.url), name: 'Once', password })).status).toBe(201);
      const again = await new TestApiClient(t.url).request('POST', '/api/invitations/accept', { token: tokenOf(link.url), name: 'Twice', password });
      expect(again.status).toBe(404);
      expect(await t.db.selectFrom('users').select('id').where('email', '=', 'once@acme.test').execute()).toHaveLength(1);
    });
    await check('trust', 'an expired invitation link is refused', async () => {
      const expired = await invite('late@acme.test');
      await t.db.updateTable('account_links').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('email', '=', 'late@acme.test').execute();
      const res = await new TestApiClient(t.url).request('POST', '/api/invitations/accept', { token: tokenOf(expired.url), name: 'Late', password });
      expect(res.status).toBe(404);
      expect(res.body.error.message).toMatch(/expired/);
    });
    await check('trust', 'a made-up or revoked invitation token is refused', async () => {
      expect((await new TestApiClient(t.url).request('POST', '/api/invitations/accept', { token: 'rci_made-up', name: 'X', password })).status).toBe(404);
      const revoked = await invite('revoked@acme.test');
      const id = (await admin.request('GET', '/api/members')).body.invitations.find((i: { email: string }) => i.email === 'revoked@acme.test').id;
      await admin.request('DELETE', `/api/invitations/${id}`);
      expect((await new TestApiClient(t.url).request('POST', '/api/invitations/accept', { token: tokenOf(revoked.url), name: 'X', password })).status).toBe(404);
    });
  });

  it('a reset link works once; a member cannot call admin routes; a removed member is signed out at once', async () => {
    const devUser = (await dev.request('GET', '/api/auth/session')).body.user;
    await check('access', 'a member calling the admin routes of members is refused', async () => {
      for (const [method, path, body] of [
        ['GET', '/api/members', undefined],
        ['POST', '/api/invitations', { email: 'sneaky@acme.test', role: 'admin' }],
        ['PATCH', `/api/members/${devUser.id}`, { role: 'admin' }],
        ['POST', `/api/members/${devUser.id}/password-reset`, undefined],
        ['GET', '/api/audit-log', undefined],
      ] as const) {
        expect((await dev.request(method, path, body)).status, `${method} ${path}`).toBe(403);
      }
      expect((await t.db.selectFrom('users').select('role').where('id', '=', devUser.id).executeTakeFirstOrThrow()).role).toBe('member');
    });
    await check('trust', 'a password reset link is single-use', async () => {
      const link = (await admin.request('POST', `/api/members/${devUser.id}/password-reset`)).body;
      expect((await new TestApiClient(t.url).request('POST', '/api/password-resets/complete', { token: tokenOf(link.url), password })).status).toBe(204);
      const again = await new TestApiClient(t.url).request('POST', '/api/password-resets/complete', { token: tokenOf(link.url), password: 'the attacker password' });
      expect(again.status).toBe(404);
      await new TestApiClient(t.url).signIn('dev@acme.test', password);
    });
    await check('access', 'guessing the current password through change-password is rate-limited', async () => {
      const thief = new TestApiClient(t.url);
      await thief.signIn('dev@acme.test', password);
      for (let i = 0; i < 10; i++) {
        expect((await thief.request('POST', '/api/account/password', { currentPassword: `guess-${i}`, newPassword: 'the attacker password' })).status).toBe(400);
      }
      const limited = await thief.request('POST', '/api/account/password', { currentPassword: password, newPassword: 'the attacker password' });
      expect(limited.status).toBe(429);
      await new TestApiClient(t.url).signIn('dev@acme.test', password);
    });
    await check('access', "a removed member's open session gets 401 at its next request", async () => {
      const session = new TestApiClient(t.url);
      await session.signIn('dev@acme.test', password);
      expect((await session.request('GET', '/api/runners')).status).toBe(200);
      expect((await admin.request('DELETE', `/api/members/${devUser.id}`)).status).toBe(204);
      expect((await session.request('GET', '/api/runners')).status).toBe(401);
      const signIn = await new TestApiClient(t.url).request('POST', '/api/auth/sign-in', { email: 'dev@acme.test', password });
      expect(signIn.status).toBe(401);
    });
  });
});
