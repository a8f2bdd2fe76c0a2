import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, makeTempDir, startEmulator, testApi, type RunningEmulator } from './github-harness.ts';

let emulator: RunningEmulator;
let home: string;

beforeAll(async () => {
  emulator = await startEmulator();
  home = makeTempDir('gh-emulator-git-home-');
});

afterAll(async () => {
  await emulator.close();
  rmSync(home, { recursive: true, force: true });
});

interface GitResult {
  code: number;
  stderr: string;
}

/** The real git CLI with an empty HOME, no config and no prompts. */
function git(args: string[], cwd: string = home): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      {
        cwd,
        env: {
          PATH: process.env.PATH,
          HOME: home,
          GIT_TERMINAL_PROMPT: '0',
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_AUTHOR_NAME: 'Alice',
          GIT_AUTHOR_EMAIL: 'alice@acme.test',
          GIT_COMMITTER_NAME: 'Alice',
          GIT_COMMITTER_EMAIL: 'alice@acme.test',
        },
      },
      (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    );
  });
}

function remote(token: string, repo = 'acme/widgets'): string {
  const url = new URL(`${emulator.baseUrl}/${repo}.git`);
  url.username = 'x-access-token';
  url.password = token;
  return url.href;
}

let clones = 0;
async function cloneAndCommit(url: string): Promise<string> {
  clones += 1;
  const dir = path.join(home, `clone-${clones}`);
  expect((await git(['clone', '--quiet', url, dir])).code).toBe(0);
  writeFileSync(path.join(dir, `change-${clones}.txt`), 'change\n');
  await git(['add', '.'], dir);
  await git(['commit', '--quiet', '-m', `Change ${clones}`], dir);
  return dir;
}

describe('git over HTTP', () => {
  it('clones with x-access-token and pushes with the repo scope; the push shows in the REST API', async () => {
    const token = await createToken(emulator.baseUrl, { username: 'alice', type: 'classic', scopes: ['repo'] });
    const dir = await cloneAndCommit(remote(token));
    expect((await git(['push', '--quiet', 'origin', 'HEAD:refs/heads/pushed'], dir)).code).toBe(0);
    const branch = await fetch(`${emulator.apiUrl}/repos/acme/widgets/branches/pushed`, { headers: { authorization: `token ${token}` } });
    expect(await branch.json()).toMatchObject({ name: 'pushed', commit: { commit: { message: 'Change 1' } } });
  });

  it('refuses a push without write access, and hides repositories the token cannot see', async () => {
    const readOnly = await createToken(emulator.baseUrl, { username: 'alice', type: 'fine-grained', repositories: ['acme/widgets'], permissions: { contents: 'read' } });
    const dir = await cloneAndCommit(remote(readOnly));
    const push = await git(['push', '--quiet', 'origin', 'HEAD:refs/heads/refused'], dir);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('Permission to acme/widgets.git denied to alice');

    const bobReads = await createToken(emulator.baseUrl, { username: 'bob', type: 'classic', scopes: ['repo'] });
    const bobDir = await cloneAndCommit(remote(bobReads));
    expect((await git(['push', '--quiet', 'origin', 'HEAD:refs/heads/bob'], bobDir)).stderr).toContain('denied to bob');

    const hidden = await git(['ls-remote', remote(readOnly, 'bob/widgets')]);
    expect(hidden.stderr).toContain('Repository not found');
    const bad = await git(['ls-remote', remote('ghp_wrong')]);
    expect(bad.code).not.toBe(0);
  });
});

describe('restarts', () => {
  it('keep apps, tokens and installations, and refuse a damaged state file with what to do', async () => {
    const first = await startEmulator();
    const pat = await createToken(first.baseUrl, { username: 'alice', type: 'classic', scopes: ['repo'] });
    const app = await testApi(first.baseUrl, 'github-apps', { owner: 'acme', name: 'Kept', callbackUrl: 'http://127.0.0.1:9/cb' });
    await testApi(first.baseUrl, 'github-apps/kept/installations', { account: 'acme', repositories: ['acme/widgets'] });
    await first.close({ keepData: true });

    const second = await startEmulator(first.dataDir);
    try {
      expect((await fetch(`${second.apiUrl}/user`, { headers: { authorization: `token ${pat}` } })).status).toBe(200);
      const exchange = await fetch(`${second.baseUrl}/login/oauth/access_token`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: app.body.clientId, client_secret: app.body.clientSecret, code: 'unknown' }),
      });
      // The app's credentials are still known: the code is what is wrong.
      expect(await exchange.json()).toMatchObject({ error: 'bad_verification_code' });
      const again = await testApi(second.baseUrl, 'github-apps/kept/installations', { account: 'acme', repositories: ['acme/widgets'] });
      expect(again).toMatchObject({ status: 200, body: { repositories: ['acme/widgets'] } });
    } finally {
      await second.close({ keepData: true });
    }
    writeFileSync(path.join(first.dataDir, 'github-emulator', 'state.json'), '{"version":2}');
    await expect(startEmulator(first.dataDir)).rejects.toThrow(/Move it away/);
    rmSync(first.dataDir, { recursive: true, force: true });
  });
});

describe('test API', () => {
  it('says what is wrong with a bad body, and which account is missing', async () => {
    const bad = await testApi(emulator.baseUrl, 'personal-access-tokens', { username: 'alice', type: 'fine-grained', repositories: ['widgets'], permissions: { contents: 'admin' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'invalid_request', fields: { 'repositories.0': 'must be owner/name' } } });
    const missing = await testApi(emulator.baseUrl, 'oauth-apps', { owner: 'nobody', name: 'x', callbackUrl: 'http://127.0.0.1:9/cb' });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('answers a rate limit as GitHub does, counts calls, and expires tokens on request', async () => {
    const token = await createToken(emulator.baseUrl, { username: 'alice', type: 'classic', scopes: ['repo'], expiresAt: '2030-06-30' });
    await fetch(`${emulator.baseUrl}/_emulator/reset-stats`, { method: 'POST' });
    const fault = await testApi(emulator.baseUrl, 'faults', { endpoint: 'api', rateLimitNext: 1, rateLimit: { status: 403, resetSeconds: 120 } });
    expect(fault.status).toBe(200);
    const limited = await fetch(`${emulator.apiUrl}/user`, { headers: { authorization: `token ${token}` } });
    expect(limited.status).toBe(403);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 + 60);
    expect(limited.headers.get('retry-after')).toBe('120');
    expect(await limited.json()).toMatchObject({ message: expect.stringContaining('rate limit') });
    const after = await fetch(`${emulator.apiUrl}/user`, { headers: { authorization: `token ${token}` } });
    expect(after.status).toBe(200);
    expect(after.headers.get('github-authentication-token-expiration')).toBe('2030-06-30 23:59:59 UTC');
    const stats = (await (await fetch(`${emulator.baseUrl}/_emulator/stats`)).json()) as Record<string, number>;
    expect(stats.api).toBe(1);

    expect(await testApi(emulator.baseUrl, 'tokens/expire', { username: 'alice', kind: 'access' })).toMatchObject({ status: 200, body: { expired: 1 } });
    expect((await fetch(`${emulator.apiUrl}/user`, { headers: { authorization: `token ${token}` } })).status).toBe(401);
  });
});
