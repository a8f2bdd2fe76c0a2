import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserClient, readHiddenFields } from '@runner-console/emulator-kit/testing';
import { makeTempDir, startEmulator, type RunningEmulator } from './emulator-harness.ts';
import { signIn } from './oauth-flow.ts';

const ALL = ['read:user:bitbucket', 'read:repository:bitbucket', 'write:repository:bitbucket', 'read:pullrequest:bitbucket'];
let emulator: RunningEmulator;
let home: string;

beforeAll(async () => {
  emulator = await startEmulator();
  home = makeTempDir('bb-emulator-api-token-home-');
});
afterAll(async () => {
  await emulator.close();
  rmSync(home, { recursive: true, force: true });
});

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

async function createToken(body: Record<string, unknown>): Promise<Response> {
  return fetch(`${emulator.baseUrl}/_emulator/api-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function aliceToken(scopes = ALL, expiresAt = inDays(30)): Promise<{ token: string; email: string }> {
  const res = await createToken({ username: 'alice', scopes, expiresAt });
  expect(res.status).toBe(201);
  return (await res.json()) as { token: string; email: string };
}

const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

function git(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd: home, env: { PATH: process.env.PATH, HOME: home, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1' } }, (error) =>
      resolve(error ? Number(error.code ?? 1) : 0),
    );
  });
}
function remote(username: string, password: string): string {
  const url = new URL(`${emulator.baseUrl}/acme/widgets.git`);
  url.username = username;
  url.password = password;
  return url.href;
}

describe('POST /_emulator/api-tokens', () => {
  it('answers the token and the account e-mail', async () => {
    const { token, email } = await aliceToken();
    expect(email).toBe('alice@acme.test');
    expect(token).toMatch(/^ATATT3x[A-Za-z0-9_-]+=[0-9A-F]{8}$/);
  });

  it('refuses an expiry more than a year ahead, in the past, and unknown scopes', async () => {
    const tooLong = await createToken({ username: 'alice', scopes: ALL, expiresAt: inDays(400) });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { error: { fields: Record<string, string> } }).error.fields.expiresAt).toMatch(/one year/);
    expect((await createToken({ username: 'alice', scopes: ALL, expiresAt: inDays(-1) })).status).toBe(400);
    expect((await createToken({ username: 'alice', scopes: ['repository'], expiresAt: inDays(1) })).status).toBe(400);
    expect((await createToken({ username: 'alice', scopes: [], expiresAt: inDays(1) })).status).toBe(400);
    expect((await createToken({ username: 'nobody', scopes: ALL, expiresAt: inDays(1) })).status).toBe(404);
  });
});

describe('REST API with Basic e-mail:token', () => {
  it('answers /2.0/user with the token’s scopes, and refuses a wrong e-mail', async () => {
    const { token, email } = await aliceToken();
    const ok = await fetch(`${emulator.baseUrl}/2.0/user`, { headers: basic(email, token) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ nickname: 'alice', display_name: 'Alice' });
    expect(ok.headers.get('x-oauth-scopes')).toBe(ALL.join(', '));
    const wrongEmail = await fetch(`${emulator.baseUrl}/2.0/user`, { headers: basic('bob@acme.test', token) });
    expect(wrongEmail.status).toBe(401);
    expect(await wrongEmail.json()).toMatchObject({ type: 'error', error: { message: expect.any(String) } });
    const byUsername = await fetch(`${emulator.baseUrl}/2.0/user`, { headers: basic('alice', token) });
    expect(byUsername.status).toBe(401);
  });

  it('enforces scopes, naming the missing one', async () => {
    const { token, email } = await aliceToken(['read:user:bitbucket', 'read:repository:bitbucket']);
    const repo = await fetch(`${emulator.baseUrl}/2.0/repositories/acme/widgets`, { headers: basic(email, token) });
    expect(repo.status).toBe(200);
    const pr = await fetch(`${emulator.baseUrl}/2.0/repositories/acme/widgets/pullrequests/1`, { headers: basic(email, token) });
    expect(pr.status).toBe(403);
    expect(await pr.json()).toMatchObject({ error: { detail: { required: ['read:pullrequest:bitbucket'] } } });
    const { token: writeOnly } = await aliceToken(['write:repository:bitbucket']);
    expect((await fetch(`${emulator.baseUrl}/2.0/repositories/acme/widgets`, { headers: basic(email, writeOnly) })).status).toBe(403);
  });

  it('refuses expired and revoked tokens', async () => {
    const { token, email } = await aliceToken(ALL, inDays(2));
    const clock = (offsetSeconds: number) =>
      fetch(`${emulator.baseUrl}/_emulator/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ offsetSeconds }) });
    await clock(3 * 86_400);
    try {
      expect((await fetch(`${emulator.baseUrl}/2.0/user`, { headers: basic(email, token) })).status).toBe(401);
    } finally {
      await clock(0);
    }
    expect((await fetch(`${emulator.baseUrl}/2.0/user`, { headers: basic(email, token) })).status).toBe(200);
    const revoke = await fetch(`${emulator.baseUrl}/_emulator/api-tokens/revoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    expect(await revoke.json()).toEqual({ revoked: 1 });
    expect((await fetch(`${emulator.baseUrl}/2.0/user`, { headers: basic(email, token) })).status).toBe(401);
  });
});

describe('git over HTTPS with an API token', () => {
  it('clones with x-bitbucket-api-token-auth or the username, not another user’s name', async () => {
    const { token } = await aliceToken();
    expect(await git(['clone', '--quiet', remote('x-bitbucket-api-token-auth', token), path.join(home, 'a')])).toBe(0);
    expect(await git(['clone', '--quiet', remote('alice', token), path.join(home, 'b')])).toBe(0);
    expect(await git(['clone', '--quiet', remote('bob', token), path.join(home, 'c')])).not.toBe(0);
  });

  it('needs read:repository:bitbucket to clone', async () => {
    const { token } = await aliceToken(['read:user:bitbucket']);
    expect(await git(['ls-remote', remote('x-bitbucket-api-token-auth', token)])).not.toBe(0);
  });
});

describe('the API tokens settings page', () => {
  it('creates a token with scopes and an expiry, shows it once, and revokes it', async () => {
    const browser = new BrowserClient(emulator.baseUrl);
    await signIn(browser, 'alice');
    const page = await browser.get('/account/settings/api-tokens/');
    expect(page.status).toBe(200);
    const { csrf_token } = readHiddenFields(await page.text());
    const tooLong = await browser.postForm('/account/settings/api-tokens/', { csrf_token: csrf_token ?? '', name: 'x', expires_at: inDays(500).slice(0, 10), scopes: ALL });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain('at most one year');
    const created = await browser.postForm('/account/settings/api-tokens/', { csrf_token: csrf_token ?? '', name: 'Runner Console', expires_at: inDays(90).slice(0, 10), scopes: ALL });
    expect(created.status).toBe(201);
    const token = /id="new-api-token" readonly value="([^"]+)"/.exec(await created.text())?.[1] ?? '';
    expect((await fetch(`${emulator.baseUrl}/2.0/user`, { headers: basic('alice@acme.test', token) })).status).toBe(200);

    const list = await (await browser.get('/account/settings/api-tokens/')).text();
    expect(list).not.toContain(token);
    const id = /action="\/account\/settings\/api-tokens\/(\d+)\/revoke"/.exec(list)?.[1];
    const revoked = await browser.postForm(`/account/settings/api-tokens/${id}/revoke`, { csrf_token: csrf_token ?? '' });
    expect(revoked.status).toBe(200);
    expect((await fetch(`${emulator.baseUrl}/2.0/user`, { headers: basic('alice@acme.test', token) })).status).toBe(401);
  });

  it('refuses a form without the CSRF token', async () => {
    const browser = new BrowserClient(emulator.baseUrl);
    await signIn(browser, 'alice');
    const res = await browser.postForm('/account/settings/api-tokens/', { name: 'x', expires_at: inDays(5).slice(0, 10), scopes: ALL });
    expect(res.status).toBe(403);
  });
});
