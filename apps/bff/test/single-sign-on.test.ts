import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSsoBff, type SsoFixture } from './sso-fixture.ts';
import { TestApiClient } from './api-client.ts';
import { signInAtProvider } from '../../../test-support/oidc-test-provider.ts';
import { hashSecretToken } from '../src/services/secret-tokens.ts';

/** Single sign-on (issue 27 item 3) against panva's oidc-provider, on SQLite and PostgreSQL. */
let f: SsoFixture;
beforeAll(async () => {
  f = await startSsoBff();
});
afterAll(() => f.close());

describe('single sign-on', () => {
  it('checks the issuer on save, keeps the secret encrypted, and never returns it', async () => {
    const before = await f.admin.request('GET', '/api/settings/single-sign-on');
    expect(before.body).toMatchObject({ configured: false, clientSecretSet: false, redirectUri: f.redirectUri });

    const closedPort = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const unreachable = await f.admin.request('PUT', '/api/settings/single-sign-on', { ...f.settings, issuerUrl: `http://127.0.0.1:${closedPort}` });
    expect(unreachable.status).toBe(400);
    expect(unreachable.body.error.fields.issuerUrl).toBe(`Nothing answers at http://127.0.0.1:${closedPort}/.well-known/openid-configuration. Check the issuer URL.`);
    const notADiscoveryDocument = await f.admin.request('PUT', '/api/settings/single-sign-on', { ...f.settings, issuerUrl: `${f.bff.url}/api/auth` });
    expect(notADiscoveryDocument.status).toBe(400);
    expect(notADiscoveryDocument.body.error.fields.issuerUrl).toMatch(/discovery document/);
    const plainHttp = await f.admin.request('PUT', '/api/settings/single-sign-on', { ...f.settings, issuerUrl: 'http://login.acme.test' });
    expect(plainHttp.body.error.fields.issuerUrl).toMatch(/https:\/\//);
    const badDomain = await f.admin.request('PUT', '/api/settings/single-sign-on', { ...f.settings, allowedDomains: ['not a domain'] });
    expect(badDomain.body.error.fields['allowedDomains.0']).toMatch(/domain such as acme\.com/);

    const saved = await f.admin.request('PUT', '/api/settings/single-sign-on', { ...f.settings, allowedDomains: ['@Acme.test'] });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ configured: true, clientSecretSet: true, allowedDomains: ['acme.test'], issuerUrl: f.idp.issuer });
    expect(saved.text).not.toContain(f.idp.clientSecret);
    const row = await f.bff.db.selectFrom('sso_settings').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(f.idp.clientSecret);
    expect(row.client_secret_sealed.split('.')).toHaveLength(5);

    // Saved again without a secret: the one stored is kept (and still works, below).
    const kept = await f.admin.request('PUT', '/api/settings/single-sign-on', { ...f.settings, clientSecret: undefined });
    expect(kept.status).toBe(200);
    expect(kept.body.clientSecretSet).toBe(true);

    const options = await f.dev.request('GET', '/api/auth/sign-in-options');
    expect(options.body.singleSignOn).toContainEqual({ orgId: f.orgId, orgName: 'Acme', displayName: 'Acme login' });
    for (const text of [...f.bff.logLines, JSON.stringify(await f.bff.db.selectFrom('audit_log').selectAll().execute())]) expect(text).not.toContain(f.idp.clientSecret);
  });

  it('creates a member just in time at the first sign-in from an allowed domain, and finds them the next time', async () => {
    const first = await f.signInWithSso('new-dev');
    expect(first.location).toBe('/');
    const session = await first.browser.request('GET', '/api/auth/session');
    expect(session.body.user).toMatchObject({ email: 'new.dev@acme.test', name: 'New Dev', role: 'member', orgName: 'Acme' });
    // A member made just in time by an earlier release (marked 'password', with no password) is marked at the next sign-in.
    await f.bff.db.updateTable('users').set({ sign_in_method: 'password' }).where('email', '=', 'new.dev@acme.test').execute();
    const second = await f.signInWithSso('new-dev');
    expect((await second.browser.request('GET', '/api/auth/session')).body.user.id).toBe(session.body.user.id);
    const users = await f.bff.db.selectFrom('users').select('id').where('email', '=', 'new.dev@acme.test').execute();
    expect(users).toHaveLength(1);
    const joined = await f.bff.db.selectFrom('audit_log').selectAll().where('action', '=', 'member.joined_by_sso').execute();
    expect(joined).toHaveLength(1);
    expect(joined[0]!.runner_id).toBeNull();
    // Settings › Members shows how they sign in.
    const members = await f.admin.request('GET', '/api/members');
    expect(members.body.members.find((m: { email: string }) => m.email === 'new.dev@acme.test')).toMatchObject({ signInMethod: 'sso' });
    expect(members.body.members.find((m: { email: string }) => m.email === 'dev@acme.test')).toMatchObject({ signInMethod: 'password' });
  });

  it('an invitation joins through single sign-on: only for the invited e-mail, once, with its role, outside the allowed domains', async () => {
    f.idp.accounts.set('partner', { email: 'Pat@Partner.test', email_verified: true, name: 'Pat Partner' });
    const invited = await f.admin.request('POST', '/api/invitations', { email: 'pat@partner.test', role: 'admin' });
    const token = new URL(invited.body.url).hash.slice(1);
    const preview = await new TestApiClient(f.bff.url).request('POST', '/api/invitations/preview', { token });
    expect(preview.body.singleSignOn).toEqual({ displayName: 'Acme login', required: false });

    /** A fresh browser that joins with the invitation and signs in at the provider as `login`. */
    async function joinWithSso(login: string) {
      const browser = new TestApiClient(f.bff.url);
      const started = await browser.request('POST', '/api/invitations/single-sign-on', { token });
      expect(started.status).toBe(200);
      // The provider sees random state and nonce, never the invitation token.
      expect(started.body.redirectTo).not.toContain(token);
      const attempt = await f.bff.db.selectFrom('sso_attempts').selectAll().where('invitation_hash', 'is not', null).executeTakeFirstOrThrow();
      expect(attempt.invitation_hash).toBe(hashSecretToken(token));
      expect(JSON.stringify(attempt)).not.toContain(token);
      const callbackUrl = await signInAtProvider(started.body.redirectTo, login, f.redirectUri);
      const finished = await browser.request('GET', callbackUrl.slice(f.bff.url.length));
      return { browser, location: finished.headers.get('location') };
    }

    // Someone else's verified e-mail (even one in an allowed domain) does not use the invitation.
    const wrong = await joinWithSso('new-dev');
    expect(wrong.location).toBe('/sign-in?sso_error=invitation_email_mismatch');
    expect((await new TestApiClient(f.bff.url).request('POST', '/api/invitations/preview', { token })).status).toBe(200);

    const joined = await joinWithSso('partner');
    expect(joined.location).toBe('/');
    expect((await joined.browser.request('GET', '/api/auth/session')).body.user).toMatchObject({ email: 'pat@partner.test', name: 'Pat Partner', role: 'admin', orgName: 'Acme' });
    const member = await f.admin.request('GET', '/api/members');
    expect(member.body.members.find((m: { email: string }) => m.email === 'pat@partner.test')).toMatchObject({ role: 'admin', signInMethod: 'sso' });
    const accepted = await f.bff.db.selectFrom('audit_log').select('details').where('action', '=', 'invitation.accepted').where('target', '=', 'pat@partner.test').execute();
    expect(accepted).toHaveLength(1);

    // Used once: the link is gone, for single sign-on and for a password alike.
    const again = await new TestApiClient(f.bff.url).request('POST', '/api/invitations/single-sign-on', { token });
    expect(again.status).toBe(404);
    expect((await new TestApiClient(f.bff.url).request('POST', '/api/invitations/accept', { token, name: 'Pat', password: 'a long enough password' })).status).toBe(404);
    // Without the invitation, the domain allow-list still refuses the same person.
    f.idp.accounts.set('partner-2', { email: 'sam@partner.test', email_verified: true, name: 'Sam' });
    expect((await f.signInWithSso('partner-2')).location).toBe('/sign-in?sso_error=domain_not_allowed');
  });

  it('an SSO-made member can get a password reset link, and "Require single sign-on" still refuses their password', async () => {
    const member = (await f.admin.request('GET', '/api/members')).body.members.find((m: { email: string }) => m.email === 'new.dev@acme.test');
    // No password yet: nothing a guess could match.
    expect((await new TestApiClient(f.bff.url).request('POST', '/api/auth/sign-in', { email: 'new.dev@acme.test', password: 'sso-only' })).status).toBe(401);
    const link = await f.admin.request('POST', `/api/members/${member.id}/password-reset`);
    expect(link.status).toBe(201);
    const token = new URL(link.body.url).hash.slice(1);
    expect((await new TestApiClient(f.bff.url).request('POST', '/api/password-resets/preview', { token })).body.email).toBe('new.dev@acme.test');
    expect((await new TestApiClient(f.bff.url).request('POST', '/api/password-resets/complete', { token, password: 'a long enough password' })).status).toBe(204);
    const withPassword = await new TestApiClient(f.bff.url).request('POST', '/api/auth/sign-in', { email: 'new.dev@acme.test', password: 'a long enough password' });
    expect(withPassword.status).toBe(200);

    expect((await f.admin.request('PUT', '/api/settings/single-sign-on', { ...f.settings, requireSso: true })).status).toBe(200);
    const refused = await new TestApiClient(f.bff.url).request('POST', '/api/auth/sign-in', { email: 'new.dev@acme.test', password: 'a long enough password' });
    expect(refused.status).toBe(403);
    expect((await f.signInWithSso('new-dev')).location).toBe('/');

    // Members invited now join only through single sign-on; admins may still set a password.
    const memberInvite = await f.admin.request('POST', '/api/invitations', { email: 'kim@acme.test', role: 'member' });
    const memberToken = new URL(memberInvite.body.url).hash.slice(1);
    expect((await new TestApiClient(f.bff.url).request('POST', '/api/invitations/preview', { token: memberToken })).body.singleSignOn).toEqual({ displayName: 'Acme login', required: true });
    const byPassword = await new TestApiClient(f.bff.url).request('POST', '/api/invitations/accept', { token: memberToken, name: 'Kim', password: 'a long enough password' });
    expect(byPassword.status).toBe(403);
    expect(byPassword.body.error.message).toBe('Your organization signs in with Acme login. Use "Join with Acme login" instead of setting a password.');
    expect((await new TestApiClient(f.bff.url).request('POST', '/api/invitations/preview', { token: memberToken })).status).toBe(200);
    const adminInvite = await f.admin.request('POST', '/api/invitations', { email: 'lee@acme.test', role: 'admin' });
    const adminToken = new URL(adminInvite.body.url).hash.slice(1);
    expect((await new TestApiClient(f.bff.url).request('POST', '/api/invitations/preview', { token: adminToken })).body.singleSignOn).toEqual({ displayName: 'Acme login', required: false });
    expect((await f.admin.request('PUT', '/api/settings/single-sign-on', { ...f.settings, requireSso: false })).status).toBe(200);
  });

  it('refuses another domain with a clear message and creates no one', async () => {
    const refused = await f.signInWithSso('outsider');
    expect(refused.location).toBe('/sign-in?sso_error=domain_not_allowed');
    expect((await refused.browser.request('GET', '/api/auth/session')).body.user).toBeNull();
    expect(await f.bff.db.selectFrom('users').select('id').where('email', '=', 'eve@elsewhere.test').execute()).toHaveLength(0);
  });

  it('"Require single sign-on" stops password sign-in for members, while admins keep their password', async () => {
    expect((await f.admin.request('PUT', '/api/settings/single-sign-on', { ...f.settings, requireSso: true })).status).toBe(200);
    const { TestApiClient } = await import('./api-client.ts');
    const member = await new TestApiClient(f.bff.url).request('POST', '/api/auth/sign-in', { email: 'dev@acme.test', password: 'dev' });
    expect(member.status).toBe(403);
    expect(member.body.error.message).toBe('Your organization signs in with Acme login. Use "Sign in with Acme login" instead of your password.');
    const wrongPassword = await new TestApiClient(f.bff.url).request('POST', '/api/auth/sign-in', { email: 'dev@acme.test', password: 'wrong' });
    expect(wrongPassword.status).toBe(401);
    const admin = await new TestApiClient(f.bff.url).request('POST', '/api/auth/sign-in', { email: 'admin@acme.test', password: 'admin' });
    expect(admin.status).toBe(200);
    expect((await f.admin.request('PUT', '/api/settings/single-sign-on', { ...f.settings, requireSso: false })).status).toBe(200);
  });

  it('turning it off is safe twice and removes the button', async () => {
    expect((await f.admin.request('DELETE', '/api/settings/single-sign-on')).status).toBe(204);
    expect((await f.admin.request('DELETE', '/api/settings/single-sign-on')).status).toBe(204);
    expect((await f.dev.request('GET', '/api/auth/sign-in-options')).body.singleSignOn).toEqual([]);
    expect((await f.admin.request('GET', '/api/settings/single-sign-on')).body.configured).toBe(false);
  });
});
