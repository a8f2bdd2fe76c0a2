import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApiClient } from './api-client.ts';
import { startSsoBff, type SsoFixture } from './sso-fixture.ts';
import { signInAtProvider } from '../../../test-support/oidc-test-provider.ts';
import { check } from '../../../security/support/record-security-row.ts';

/**
 * Part of `npm run test:security` (row 2, OAuth flow attacks): single sign-on against panva's
 * oidc-provider. Each attack must end on the sign-in page with its reason, and sign no one in.
 */
let f: SsoFixture;
beforeAll(async () => {
  f = await startSsoBff();
  const saved = await f.admin.request('PUT', '/api/settings/single-sign-on', f.settings);
  expect(saved.status).toBe(200);
});
afterAll(() => f.close());

/** Start in `browser` and come back from the provider, without calling the callback yet. */
async function startAndSignInAtProvider(login: string, browser = new TestApiClient(f.bff.url)) {
  const started = await browser.request('GET', `/api/auth/sso/start?org=${f.orgId}`);
  const callbackUrl = await signInAtProvider(started.headers.get('location') ?? '', login, f.redirectUri);
  return { browser, callbackPath: callbackUrl.slice(f.bff.url.length) };
}

async function expectSignedOut(browser: TestApiClient) {
  expect((await browser.request('GET', '/api/auth/session')).body.user).toBeNull();
}

describe('single sign-on attacks', () => {
  it('asks for PKCE (S256), state and nonce at the provider', () => check('oauth', 'sso: authorize request carries PKCE, state, nonce', async () => {
    const started = await new TestApiClient(f.bff.url).request('GET', `/api/auth/sso/start?org=${f.orgId}`);
    const url = new URL(started.headers.get('location') ?? '');
    expect(url.origin).toBe(f.idp.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(started.headers.getSetCookie().join()).toMatch(/rc_sso=.*HttpOnly/i);
  }));

  it('refuses a forged state', () => check('oauth', 'sso: forged state', async () => {
    const { browser, callbackPath } = await startAndSignInAtProvider('new-dev');
    const forged = callbackPath.replace(/state=[^&]+/, 'state=forged-state-value-0123456789');
    const res = await browser.request('GET', forged);
    expect(res.headers.get('location')).toBe('/sign-in?sso_error=state_mismatch');
    await expectSignedOut(browser);
  }));

  it('refuses a callback in another browser (a sign-in link sent to a victim)', () => check('oauth', 'sso: callback in another browser', async () => {
    const { callbackPath } = await startAndSignInAtProvider('new-dev');
    const victim = new TestApiClient(f.bff.url);
    const res = await victim.request('GET', callbackPath);
    expect(res.headers.get('location')).toBe('/sign-in?sso_error=expired');
    await expectSignedOut(victim);
  }));

  it('refuses a replayed callback, even with the attempt cookie', () => check('oauth', 'sso: replayed callback', async () => {
    const { browser, callbackPath } = await startAndSignInAtProvider('new-dev');
    const cookies = browser.cookieHeader();
    expect((await browser.request('GET', callbackPath)).headers.get('location')).toBe('/');
    const replay = await fetch(f.bff.url + callbackPath, { redirect: 'manual', headers: { cookie: cookies } });
    expect(replay.headers.get('location')).toBe('/sign-in?sso_error=expired');
    expect(replay.headers.getSetCookie().join()).not.toMatch(/rc_session=rcs_/);
  }));

  it('refuses an ID token whose nonce is not the attempt’s', () => check('oauth', 'sso: wrong nonce', async () => {
    const { browser, callbackPath } = await startAndSignInAtProvider('new-dev');
    // The provider signs the nonce it was asked for; the attempt now expects another one.
    await f.bff.db.updateTable('sso_attempts').set({ nonce: 'another-nonce-than-the-provider-signed' }).execute();
    const res = await browser.request('GET', callbackPath);
    expect(res.headers.get('location')).toBe('/sign-in?sso_error=provider_error');
    expect(f.bff.logLines.some((line) => line.includes('single sign-on refused') && /nonce/.test(line))).toBe(true);
    await expectSignedOut(browser);
  }));

  it('refuses an e-mail the provider has not verified', () => check('oauth', 'sso: unverified e-mail', async () => {
    const { browser, callbackPath } = await startAndSignInAtProvider('unverified');
    expect((await browser.request('GET', callbackPath)).headers.get('location')).toBe('/sign-in?sso_error=email_unverified');
    await expectSignedOut(browser);
    expect(await f.bff.db.selectFrom('users').select('id').where('email', '=', 'unverified@acme.test').execute()).toHaveLength(0);
  }));

  it('refuses an e-mail from a domain that is not allowed', () => check('oauth', 'sso: other domain', async () => {
    const { browser, callbackPath } = await startAndSignInAtProvider('outsider');
    expect((await browser.request('GET', callbackPath)).headers.get('location')).toBe('/sign-in?sso_error=domain_not_allowed');
    await expectSignedOut(browser);
  }));

  it('never shows the client secret in an answer or a log line', () => check('oauth', 'sso: client secret never in API or log', async () => {
    const answers = [
      await f.admin.request('GET', '/api/settings/single-sign-on'),
      await f.admin.request('PUT', '/api/settings/single-sign-on', { ...f.settings, issuerUrl: `${f.idp.issuer}/nowhere` }),
      await f.admin.request('GET', '/api/auth/sign-in-options'),
    ];
    for (const answer of answers) expect(answer.text).not.toContain(f.idp.clientSecret);
    expect(f.bff.logLines.join('\n')).not.toContain(f.idp.clientSecret);
    const audit = await f.bff.db.selectFrom('audit_log').select('details').execute();
    expect(JSON.stringify(audit)).not.toContain(f.idp.clientSecret);
  }));
});
