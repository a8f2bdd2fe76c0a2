import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { s256Challenge } from '@runner-console/emulator-kit';
import { BrowserClient, readHiddenFields } from '@runner-console/emulator-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, makeTempDir, startEmulator, testApi, type RunningEmulator } from './gitlab-harness.ts';

const run = promisify(execFile);
let emulator: RunningEmulator;
const CALLBACK = 'http://127.0.0.1:9/oauth/callback';
const VERIFIER = 'a'.repeat(20) + '-verifier-of-forty-three-chars';
const SCOPES = 'read_user read_api read_repository write_repository';

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.close();
});

interface App {
  applicationId: string;
  secret: string;
}

async function application(confidential = true): Promise<App> {
  const { status, body } = await testApi(emulator.baseUrl, 'applications', { name: 'Runner Console', redirectUri: `${CALLBACK}\nhttp://127.0.0.1:9/other`, scopes: SCOPES.split(' '), confidential });
  expect(status).toBe(201);
  expect(body.secret).toMatch(/^gloas-[0-9a-f]{64}$/);
  return body as unknown as App;
}

/** Signs alice in, grants consent when asked, and answers the redirect back to the application. */
async function authorize(query: Record<string, string>): Promise<URL> {
  const browser = new BrowserClient(emulator.baseUrl);
  const toSignIn = await browser.get(`/oauth/authorize?${new URLSearchParams({ response_type: 'code', redirect_uri: CALLBACK, ...query }).toString()}`);
  expect(toSignIn.status).toBe(302);
  const signInPage = await (await browser.get(toSignIn.headers.get('location') ?? '')).text();
  const consent = await browser.followRedirects(await browser.postForm('/users/sign_in', { ...readHiddenFields(signInPage), login: 'alice', password: 'alice' }));
  if (consent.status === 302) return new URL(consent.headers.get('location') ?? '');
  const granted = await browser.postForm('/oauth/authorize', { ...readHiddenFields(await consent.text()), decision: 'grant' });
  return new URL(granted.headers.get('location') ?? '');
}

async function token(body: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${emulator.baseUrl}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('OAuth (Doorkeeper)', () => {
  it('exchanges a PKCE-bound code for a 2-hour token pair; a refresh rotates both; token/info and revoke', async () => {
    const app = await application();
    const back = await authorize({ client_id: app.applicationId, scope: SCOPES, state: 's1', code_challenge: s256Challenge(VERIFIER), code_challenge_method: 'S256' });
    expect(back.searchParams.get('state')).toBe('s1');
    const code = back.searchParams.get('code') ?? '';
    const client = { client_id: app.applicationId, client_secret: app.secret };

    const wrongSecret = await token({ ...client, client_secret: 'gloas-nope', grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: VERIFIER });
    expect(wrongSecret).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    // The wrong secret did not spend the code: the client is checked first.
    const issued = await token({ ...client, grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: VERIFIER });
    expect(issued).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 7200, scope: SCOPES, created_at: expect.any(Number) } });
    expect(issued.body.access_token).toMatch(/^[0-9a-f]{64}$/);
    const replay = await token({ ...client, grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: VERIFIER });
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const info = await fetch(`${emulator.baseUrl}/oauth/token/info`, { headers: { authorization: `Bearer ${String(issued.body.access_token)}` } });
    const infoBody = (await info.json()) as { expires_in: number };
    expect(infoBody).toMatchObject({ resource_owner_id: 1, scope: SCOPES.split(' '), application: { uid: app.applicationId } });
    expect(infoBody.expires_in).toBeGreaterThan(7100);
    expect(infoBody.expires_in).toBeLessThanOrEqual(7200);

    const renewed = await token({ ...client, grant_type: 'refresh_token', refresh_token: String(issued.body.refresh_token) });
    expect(renewed.status).toBe(200);
    const user = (value: unknown) => fetch(`${emulator.apiUrl}/user`, { headers: { authorization: `Bearer ${String(value)}` } });
    expect((await user(issued.body.access_token)).status).toBe(401);
    expect(await (await user(issued.body.access_token)).json()).toEqual({ message: '401 Unauthorized' });
    expect((await user(renewed.body.access_token)).status).toBe(200);
    expect(await token({ ...client, grant_type: 'refresh_token', refresh_token: String(issued.body.refresh_token) })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const revoke = (secret: string) => fetch(`${emulator.baseUrl}/oauth/revoke`, { method: 'POST', body: new URLSearchParams({ client_id: app.applicationId, client_secret: secret, token: String(renewed.body.access_token) }) });
    expect((await revoke('gloas-nope')).status).toBe(401);
    const other = await application();
    const foreign = await fetch(`${emulator.baseUrl}/oauth/revoke`, { method: 'POST', body: new URLSearchParams({ client_id: other.applicationId, client_secret: other.secret, token: String(renewed.body.access_token) }) });
    expect(foreign.status).toBe(403);
    expect((await revoke(app.secret)).status).toBe(200);
    expect((await user(renewed.body.access_token)).status).toBe(401);
    expect(await token({ ...client, grant_type: 'refresh_token', refresh_token: String(renewed.body.refresh_token) })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('refuses a code without its verifier, with a wrong one, or with another redirect_uri; a foreign redirect_uri is an error page', async () => {
    const app = await application();
    const query = { client_id: app.applicationId, scope: SCOPES, code_challenge: s256Challenge(VERIFIER), code_challenge_method: 'S256' };
    const attempts: Record<string, string>[] = [{}, { code_verifier: `${VERIFIER}x` }, { code_verifier: VERIFIER, redirect_uri: 'http://127.0.0.1:9/other' }];
    for (const attempt of attempts) {
      const code = (await authorize(query)).searchParams.get('code') ?? '';
      const refused = await token({ client_id: app.applicationId, client_secret: app.secret, grant_type: 'authorization_code', code, redirect_uri: CALLBACK, ...attempt });
      expect(refused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    }
    const foreign = await fetch(`${emulator.baseUrl}/oauth/authorize?${new URLSearchParams({ ...query, response_type: 'code', redirect_uri: 'http://evil.test/cb' }).toString()}`, { redirect: 'manual' });
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain('The redirect URI included is not valid.');
    const tooWide = await fetch(`${emulator.baseUrl}/oauth/authorize?${new URLSearchParams({ ...query, response_type: 'code', redirect_uri: CALLBACK, scope: 'api' }).toString()}`, { redirect: 'manual' });
    expect(new URL(tooWide.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_scope');
  });

  it('a public application (Confidential unticked) needs PKCE and no secret', async () => {
    const app = await application(false);
    const noPkce = await fetch(`${emulator.baseUrl}/oauth/authorize?${new URLSearchParams({ client_id: app.applicationId, response_type: 'code', redirect_uri: CALLBACK }).toString()}`, { redirect: 'manual' });
    expect(new URL(noPkce.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
    const code = (await authorize({ client_id: app.applicationId, code_challenge: s256Challenge(VERIFIER), code_challenge_method: 'S256' })).searchParams.get('code') ?? '';
    expect(await token({ client_id: app.applicationId, grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: VERIFIER })).toMatchObject({ status: 200 });
  });
});

describe('project pages', () => {
  it('shows a subgroup project’s merge request to a member, at GitLab’s address; signed out, the sign-in page', async () => {
    const signedOut = await fetch(`${emulator.baseUrl}/acme/platform/tools/-/merge_requests/1`, { redirect: 'manual' });
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get('location')).toContain('/users/sign_in?return_to=');
    const browser = new BrowserClient(emulator.baseUrl);
    const signInPage = await (await browser.get('/users/sign_in')).text();
    await browser.postForm('/users/sign_in', { ...readHiddenFields(signInPage), login: 'alice', password: 'alice' });
    const page = await browser.get('/acme/platform/tools/-/merge_requests/1');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Add a lint script !1');
    expect((await browser.get('/acme/platform/tools')).status).toBe(200);
    expect((await browser.get('/acme/platform/tools/-/merge_requests/9')).status).toBe(404);
  });
});

describe('git over HTTP', () => {
  it('clones the subgroup project as oauth2 with a token and pushes with write_repository only', async () => {
    const dir = makeTempDir('gl-git-');
    try {
      const reader = await createToken(emulator.baseUrl, { username: 'alice', scopes: ['read_repository'] });
      const writer = await createToken(emulator.baseUrl, { username: 'alice', scopes: ['write_repository'] });
      const url = (secret: string) => `${emulator.baseUrl.replace('://', `://oauth2:${secret}@`)}/acme/platform/tools.git`;
      const env = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', HOME: dir };
      const git = (args: string[], cwd = dir) => run('git', ['-c', 'user.name=Alice', '-c', 'user.email=alice@acme.test', ...args], { cwd, env });
      await git(['clone', '--quiet', '--branch', 'feature/lint', url(reader), 'tools']);
      const work = path.join(dir, 'tools');
      fs.writeFileSync(path.join(work, 'NOTE.md'), 'from the test\n');
      await git(['add', 'NOTE.md'], work);
      await git(['commit', '--quiet', '-m', 'A note'], work);
      await expect(git(['push', '--quiet', url(reader), 'feature/lint'], work)).rejects.toMatchObject({ stderr: expect.stringContaining('write_repository') });
      await git(['push', '--quiet', url(writer), 'feature/lint'], work);
      const wrong = await fetch(`${emulator.baseUrl}/acme/platform/tools.git/info/refs?service=git-upload-pack`, { headers: { authorization: `Basic ${Buffer.from('oauth2:glpat-wrong').toString('base64')}` } });
      expect(wrong.status).toBe(401);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
