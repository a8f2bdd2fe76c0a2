import { s256Challenge } from '@runner-console/emulator-kit';
import { BrowserClient, readHiddenFields } from '@runner-console/emulator-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, testApi, type RunningEmulator } from './github-harness.ts';

let emulator: RunningEmulator;
const CALLBACK = 'http://127.0.0.1:9/oauth/callback';
const VERIFIER = 'a'.repeat(20) + '-verifier-of-forty-three-chars';

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.close();
});

interface App {
  clientId: string;
  clientSecret: string;
}

async function oauthApp(): Promise<App> {
  const { status, body } = await testApi(emulator.baseUrl, 'oauth-apps', { owner: 'acme', name: 'Runner Console', callbackUrl: CALLBACK });
  expect(status).toBe(201);
  return body as unknown as App;
}

async function githubApp(name: string): Promise<App & { slug: string; installUrl: string }> {
  const { status, body } = await testApi(emulator.baseUrl, 'github-apps', {
    owner: 'acme',
    name,
    callbackUrl: CALLBACK,
    permissions: { contents: 'write', pull_requests: 'read', metadata: 'read', emails: 'read' },
  });
  expect(status).toBe(201);
  return body as unknown as App & { slug: string; installUrl: string };
}

/**
 * Signs alice in, grants consent when asked (GitHub asks once per app and scope set), and
 * returns the redirect back to the app.
 */
async function authorize(query: Record<string, string>): Promise<URL> {
  const browser = new BrowserClient(emulator.baseUrl);
  const authorizePath = `/login/oauth/authorize?${new URLSearchParams(query).toString()}`;
  const toSignIn = await browser.get(authorizePath);
  expect(toSignIn.status).toBe(302);
  const signIn = await browser.get(toSignIn.headers.get('location') ?? '');
  const signInPage = await signIn.text();
  expect(signInPage).toContain('Sign in to GitHub');
  const signedIn = await browser.postForm('/login', { ...readHiddenFields(signInPage), login: 'alice', password: 'alice' });
  const consent = await browser.followRedirects(signedIn);
  if (consent.status === 302) return new URL(consent.headers.get('location') ?? '');
  const consentPage = await consent.text();
  expect(consentPage).toMatch(/wants to access your alice account/);
  const granted = await browser.postForm('/login/oauth/authorize', { ...readHiddenFields(consentPage), decision: 'grant' });
  expect(granted.status).toBe(302);
  return new URL(granted.headers.get('location') ?? '');
}

async function exchange(body: Record<string, string>, accept = 'application/json'): Promise<Record<string, unknown>> {
  const response = await fetch(`${emulator.baseUrl}/login/oauth/access_token`, {
    method: 'POST',
    headers: { accept, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body),
  });
  // GitHub answers token errors with HTTP 200 too.
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe('OAuth App', () => {
  it('signs in, asks consent, and exchanges a PKCE-bound code for a gho_ token with its scopes', async () => {
    const app = await oauthApp();
    const back = await authorize({ client_id: app.clientId, redirect_uri: CALLBACK, scope: 'repo read:user user:email workflow', state: 's1', code_challenge: s256Challenge(VERIFIER), code_challenge_method: 'S256' });
    expect(back.origin + back.pathname).toBe(CALLBACK);
    expect(back.searchParams.get('state')).toBe('s1');
    const code = back.searchParams.get('code') ?? '';

    const wrongSecret = await exchange({ client_id: app.clientId, client_secret: 'nope', code, code_verifier: VERIFIER });
    expect(wrongSecret).toMatchObject({ error: 'incorrect_client_credentials', error_uri: expect.stringContaining('docs.github.com') });

    const tokens = await exchange({ client_id: app.clientId, client_secret: app.clientSecret, code, redirect_uri: CALLBACK, code_verifier: VERIFIER });
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'repo,read:user,user:email,workflow' });
    expect(tokens.access_token).toMatch(/^gho_[A-Za-z0-9]{36}$/);
    expect(tokens.refresh_token).toBeUndefined();

    const replay = await exchange({ client_id: app.clientId, client_secret: app.clientSecret, code, code_verifier: VERIFIER });
    expect(replay).toMatchObject({ error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });

    const user = await fetch(`${emulator.apiUrl}/user`, { headers: { authorization: `Bearer ${String(tokens.access_token)}` } });
    expect(user.headers.get('x-oauth-scopes')).toBe('repo, read:user, user:email, workflow');
    expect(user.headers.get('github-authentication-token-expiration')).toBeNull();
  });

  it('refuses a code without its verifier, with a wrong verifier, or with another redirect_uri', async () => {
    const app = await oauthApp();
    const challenge = { client_id: app.clientId, scope: 'repo', code_challenge: s256Challenge(VERIFIER), code_challenge_method: 'S256' };
    const attempts: Record<string, string>[] = [{}, { code_verifier: `${VERIFIER}x` }, { code_verifier: VERIFIER, redirect_uri: 'http://127.0.0.1:9/oauth/other' }];
    for (const attempt of attempts) {
      const code = (await authorize(challenge)).searchParams.get('code') ?? '';
      const refused = await exchange({ client_id: app.clientId, client_secret: app.clientSecret, code, ...attempt });
      expect(refused.error).toBe('redirect_uri' in attempt ? 'redirect_uri_mismatch' : 'bad_verification_code');
    }
  });

  it('answers a form without Accept: application/json, and sends a foreign redirect_uri back to the callback with the error', async () => {
    const app = await oauthApp();
    const response = await fetch(`${emulator.baseUrl}/login/oauth/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: app.clientId, client_secret: 'wrong', code: 'x' }),
    });
    expect(response.headers.get('content-type')).toContain('application/x-www-form-urlencoded');
    expect(new URLSearchParams(await response.text()).get('error')).toBe('incorrect_client_credentials');

    const mismatch = await fetch(`${emulator.baseUrl}/login/oauth/authorize?client_id=${app.clientId}&redirect_uri=${encodeURIComponent('http://evil.test/cb')}&state=s2`, { redirect: 'manual' });
    const location = new URL(mismatch.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe(CALLBACK);
    expect(location.searchParams.get('error')).toBe('redirect_uri_mismatch');
    expect(location.searchParams.get('state')).toBe('s2');
  });

  it('revokes the grant with DELETE /applications/{client_id}/grant', async () => {
    const app = await oauthApp();
    const code = (await authorize({ client_id: app.clientId, scope: 'repo' })).searchParams.get('code') ?? '';
    const { access_token: token } = await exchange({ client_id: app.clientId, client_secret: app.clientSecret, code });
    const revoke = (secret: string) =>
      fetch(`${emulator.apiUrl}/applications/${app.clientId}/grant`, {
        method: 'DELETE',
        headers: { authorization: `Basic ${Buffer.from(`${app.clientId}:${secret}`).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ access_token: token }),
      });
    expect((await revoke('wrong')).status).toBe(404);
    expect((await revoke(app.clientSecret)).status).toBe(204);
    const after = await fetch(`${emulator.apiUrl}/user`, { headers: { authorization: `token ${String(token)}` } });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ message: 'Bad credentials' });
  });
});

describe('GitHub App user tokens', () => {
  it('issues 8-hour ghu_ tokens with ghr_ refresh tokens that rotate, limited to installed repositories', async () => {
    const app = await githubApp('Runner Console Dev');
    expect(app.installUrl).toBe(`${emulator.baseUrl}/apps/runner-console-dev/installations/new`);
    const installed = await testApi(emulator.baseUrl, `github-apps/${app.slug}/installations`, { account: 'acme', repositories: ['acme/widgets'] });
    expect(installed.status).toBe(201);

    const code = (await authorize({ client_id: app.clientId, redirect_uri: CALLBACK })).searchParams.get('code') ?? '';
    const first = await exchange({ client_id: app.clientId, client_secret: app.clientSecret, code, redirect_uri: CALLBACK });
    expect(first).toMatchObject({ expires_in: 28800, refresh_token_expires_in: 15897600, scope: '', token_type: 'bearer' });
    expect(first.access_token).toMatch(/^ghu_/);
    expect(first.refresh_token).toMatch(/^ghr_/);

    const get = (path: string, token: unknown) => fetch(`${emulator.apiUrl}${path}`, { headers: { authorization: `Bearer ${String(token)}` } });
    const repo = await get('/repos/acme/widgets', first.access_token);
    expect(repo.status).toBe(200);
    expect(repo.headers.get('x-oauth-scopes')).toBeNull();
    expect((await get('/repos/bob/widgets', first.access_token)).status).toBe(404);

    const refresh = (refreshToken: unknown) =>
      exchange({ client_id: app.clientId, client_secret: app.clientSecret, grant_type: 'refresh_token', refresh_token: String(refreshToken) });
    const [second, racing] = await Promise.all([refresh(first.refresh_token), refresh(first.refresh_token)]);
    const winners = [second, racing].filter((answer) => typeof answer.access_token === 'string');
    expect(winners).toHaveLength(1);
    expect([second, racing].find((answer) => answer.error)).toMatchObject({ error: 'bad_refresh_token' });
    const rotated = winners[0] ?? {};
    expect(rotated.refresh_token).not.toBe(first.refresh_token);
    // The old pair stops working; the new one works.
    expect((await get('/user', first.access_token)).status).toBe(401);
    expect((await get('/user', rotated.access_token)).status).toBe(200);

    await fetch(`${emulator.baseUrl}/_emulator/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ offsetSeconds: 28_801 }) });
    expect((await get('/user', rotated.access_token)).status).toBe(401);
    const third = await refresh(rotated.refresh_token);
    expect(third.access_token).toMatch(/^ghu_/);
    await fetch(`${emulator.baseUrl}/_emulator/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ offsetSeconds: 0 }) });
  });
});

describe('GitHub App install link', () => {
  it('lets a signed-in user install the app on repositories they administer, and only those', async () => {
    const app = await githubApp('Installed From Page');
    const browser = new BrowserClient(emulator.baseUrl);
    const installPath = new URL(app.installUrl).pathname;
    const toSignIn = await browser.get(installPath);
    const signInPage = await (await browser.get(toSignIn.headers.get('location') ?? '')).text();
    const signedIn = await browser.postForm('/login', { ...readHiddenFields(signInPage), login: 'alice', password: 'alice' });
    const page = await (await browser.followRedirects(signedIn)).text();
    expect(page).toContain('Install Installed From Page');
    expect(page).toContain('value="acme/widgets"');
    expect(page).not.toContain('value="bob/widgets"');
    // The sign-in form's return_to is a same-origin path only: never an open redirect.
    const other = new BrowserClient(emulator.baseUrl);
    const otherSignIn = await (await other.get('/login?return_to=//evil.test/x')).text();
    expect(readHiddenFields(otherSignIn).return_to).toBe('/');
    const elsewhere = await other.postForm('/login', { ...readHiddenFields(otherSignIn), return_to: '//evil.test/x', login: 'alice', password: 'alice' });
    expect(elsewhere.headers.get('location')).toBe('/');

    const foreign = await browser.postForm(installPath, { ...readHiddenFields(page), repositories: 'bob/widgets' });
    expect(foreign.status).toBe(400);
    const installed = await browser.postForm(installPath, { ...readHiddenFields(page), repositories: 'acme/widgets' });
    expect(installed.status).toBe(200);
    expect(await installed.text()).toContain('It can now reach acme/widgets');
    const again = await testApi(emulator.baseUrl, `github-apps/${app.slug}/installations`, { account: 'acme', repositories: ['acme/widgets'] });
    expect(again).toMatchObject({ status: 200, body: { repositories: ['acme/widgets'] } });
  });
});
