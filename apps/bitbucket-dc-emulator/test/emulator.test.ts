import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BrowserClient, isRedirect, readHiddenFields } from '@runner-console/emulator-kit/testing';
import { s256Challenge } from '@runner-console/emulator-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../src/app.ts';

const run = promisify(execFile);
const CALLBACK = 'http://127.0.0.1:7999/oauth/callback';
let server: Server;
let emulator: Emulator;
let base: string;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bbdc-emulator-'));

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  emulator = createEmulator({ dataDir, publicUrl: base });
  server.on('request', emulator.app);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await emulator.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function post(apiPath: string, body: unknown) {
  const response = await fetch(`${base}${apiPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as Record<string, string>;
}

const api = (apiPath: string, token: string) => fetch(`${base}/rest/api/1.0${apiPath}`, { headers: { authorization: `Bearer ${token}` } });

async function authorizeCode(clientId: string, verifier: string): Promise<URL> {
  const browser = new BrowserClient(base);
  const query = new URLSearchParams({ client_id: clientId, redirect_uri: CALLBACK, response_type: 'code', scope: 'REPO_READ REPO_WRITE', state: 's1', code_challenge: s256Challenge(verifier), code_challenge_method: 'S256' });
  let response = await browser.followRedirects(await browser.get(`/rest/oauth2/latest/authorize?${query}`));
  for (let step = 0; step < 3 && !isRedirect(response); step++) {
    const page = await response.text();
    if (page.includes('name="password"')) {
      response = await browser.followRedirects(await browser.postForm('/login', { ...readHiddenFields(page), login: 'alice', password: 'alice' }));
    } else {
      expect(page).toContain('REPO_WRITE');
      response = await browser.postForm('/rest/oauth2/latest/authorize', { ...readHiddenFields(page), decision: 'grant' });
    }
  }
  expect(isRedirect(response)).toBe(true);
  return new URL(response.headers.get('location')!);
}

describe('Bitbucket Data Center emulator', () => {
  it('runs the application link’s OAuth with PKCE, refreshes with a rotating refresh token, and names the user in X-AUSERNAME', async () => {
    const link = await post('/_emulator/application-links', { name: 'Runner Console', redirectUrl: CALLBACK, scopes: ['REPO_READ', 'REPO_WRITE'] });
    const verifier = 'v'.repeat(50);
    const callback = await authorizeCode(link.clientId!, verifier);
    expect(callback.searchParams.get('state')).toBe('s1');
    const exchange = (fields: Record<string, string>) => fetch(`${base}/rest/oauth2/latest/token`, { method: 'POST', body: new URLSearchParams({ client_id: link.clientId!, client_secret: link.clientSecret!, ...fields }) });
    const code = callback.searchParams.get('code')!;
    const wrongVerifier = await exchange({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: 'w'.repeat(50) });
    expect(wrongVerifier.status).toBe(400);
    expect(await wrongVerifier.json()).toMatchObject({ error: 'invalid_grant' });

    const again = await authorizeCode(link.clientId!, verifier);
    const tokens = (await (await exchange({ grant_type: 'authorization_code', code: again.searchParams.get('code')!, redirect_uri: CALLBACK, code_verifier: verifier })).json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ scope: 'REPO_READ REPO_WRITE', token_type: 'bearer', expires_in: 7200 });
    const repos = await api('/repos?limit=1', tokens.access_token as string);
    expect(repos.headers.get('x-ausername')).toBe('alice');
    expect(await repos.json()).toMatchObject({ start: 0, limit: 1, size: 1, isLastPage: false, nextPageStart: 1 });

    const refreshed = (await (await exchange({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string })).json()) as Record<string, unknown>;
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect((await exchange({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string })).status).toBe(400);
    const badClient = await fetch(`${base}/rest/oauth2/latest/token`, { method: 'POST', body: new URLSearchParams({ client_id: link.clientId!, client_secret: 'nope', grant_type: 'authorization_code', code: 'x' }) });
    expect(badClient.status).toBe(401);
    expect(await badClient.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('answers errors in Data Center’s shape, and takes HTTP access tokens for REST (Bearer) and git (user name and token)', async () => {
    const { token } = await post('/_emulator/access-tokens', { username: 'alice', permissions: ['REPO_WRITE'], expiryDays: 30 });
    const missing = await api('/projects/ACME/repos/gadgets', token!);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ errors: [{ context: null, message: 'Repository ACME/gadgets does not exist.', exceptionName: 'com.atlassian.bitbucket.repository.NoSuchRepositoryException' }] });
    expect((await api('/users/alice', 'not-a-token')).status).toBe(401);
    expect(await (await api('/users/alice', token!)).json()).toMatchObject({ name: 'alice', slug: 'alice', displayName: 'Alice', emailAddress: 'alice@acme.test' });
    expect(await (await api('/projects/ACME/repos/widgets/pull-requests/2', token!)).json()).toMatchObject({ fromRef: { displayId: 'fix/typo', repository: { slug: 'widgets', project: { key: '~BOB' } } } });
    const branches = (await (await api('/projects/ACME/repos/widgets/branches?filterText=login', token!)).json()) as { values: { displayId: string }[] };
    expect(branches.values.map((branch) => branch.displayId)).toEqual(['feature/login']);

    const readOnly = (await post('/_emulator/access-tokens', { username: 'alice', permissions: ['PROJECT_READ'] })).token!;
    expect((await api('/repos', readOnly)).status).toBe(200);
    const none = (await post('/_emulator/access-tokens', { username: 'alice', permissions: [] })).token!;
    expect((await api('/repos', none)).status).toBe(403);

    const remote = `${base.replace('http://', 'http://alice:' + encodeURIComponent(token!) + '@')}/scm/acme/widgets.git`;
    const { stdout } = await run('git', ['ls-remote', remote, 'refs/heads/feature/login'], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
    expect(stdout).toMatch(/^[0-9a-f]{40}\trefs\/heads\/feature\/login/);
    const wrongUser = `${base.replace('http://', 'http://bob:' + encodeURIComponent(token!) + '@')}/scm/acme/widgets.git`;
    await expect(run('git', ['ls-remote', wrongUser], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } })).rejects.toThrow();
  });
});

describe('state across a restart', () => {
  it('keeps application links and tokens (as hashes) in state.json, so an integration survives a restart', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bbdc-state-'));
    const first = createEmulator({ dataDir: dir, publicUrl: 'http://127.0.0.1:1' });
    const listen = async (app: Emulator['app']) => {
      const srv = createServer(app);
      await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
      return { srv, url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}` };
    };
    const one = await listen(first.app);
    const call = (url: string, apiPath: string, body: unknown) => fetch(`${url}${apiPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<Record<string, string>>);
    const link = await call(one.url, '/_emulator/application-links', { name: 'Runner Console', redirectUrl: CALLBACK });
    const { token } = await call(one.url, '/_emulator/access-tokens', { username: 'alice', permissions: ['REPO_READ'] });
    one.srv.closeAllConnections();
    await new Promise<void>((resolve) => one.srv.close(() => resolve()));
    await first.close();
    const saved = readFileSync(path.join(dir, 'bitbucket-dc-emulator', 'state.json'), 'utf8');
    expect(saved).not.toContain(token);
    expect(saved).not.toContain(link.clientSecret);

    const second = createEmulator({ dataDir: dir, publicUrl: 'http://127.0.0.1:1' });
    const two = await listen(second.app);
    try {
      expect((await fetch(`${two.url}/rest/api/1.0/users/alice`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      const check = await fetch(`${two.url}/rest/oauth2/latest/token`, { method: 'POST', body: new URLSearchParams({ client_id: link.clientId!, client_secret: link.clientSecret!, grant_type: 'authorization_code', code: 'none' }) });
      expect(await check.json()).toMatchObject({ error: 'invalid_grant' });
    } finally {
      two.srv.closeAllConnections();
      await new Promise<void>((resolve) => two.srv.close(() => resolve()));
      await second.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
