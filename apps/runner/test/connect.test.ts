import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrowser} from '../../../test-support/test-stack.ts';
import { startTestStack, type TestStack } from '../../../test-support/test-stack.ts';
import { authorizeAtBitbucket, configureBitbucket, emulator, flowIdOf, signedInBrowser, startUrl, finishConnect } from '../../../test-support/connect-journey.ts';
import SQLite from 'better-sqlite3';

let stack: TestStack;
let admin: TestBrowser;
let runnerId: string;

beforeAll(async () => {
  stack = await startTestStack();
  admin = await signedInBrowser(stack, 'admin@acme.test', 'admin');
  ({ runnerId } = await configureBitbucket(stack, admin));
}, 90_000);
afterAll(async () => stack?.stop());

async function devBrowser() {
  return signedInBrowser(stack, 'dev@acme.test', 'dev');
}

async function check(browser: TestBrowser) {
  return (await browser.api(stack.dashboard, 'POST', `/api/runners/${runnerId}/check-authentication`, { host: 'bitbucket.org' })).body;
}

async function disconnectAll(browser: TestBrowser) {
  const list = await browser.api(stack.dashboard, 'GET', '/api/git-authentications');
  for (const a of list.body.authentications) await browser.api(stack.dashboard, 'DELETE', `/api/git-authentications/${a.runnerId}/${a.id}`);
}

async function waitForEnvironment(browser: TestBrowser, id: string) {
  for (let i = 0; i < 200; i++) {
    const env = (await browser.api(stack.dashboard, 'GET', `/api/environments/${id}`)).body;
    if (env.phase === 'ready' || env.phase === 'failed') return env;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('environment never finished');
}

describe('Connect and environments (BFF, runner and emulator as npm start runs them)', () => {
  it('connects, then resolves a pull request URL and clones its source branch', async () => {
    const dev = await devBrowser();
    const before = await check(dev);
    expect(before).toMatchObject({ integrationAvailable: true, authenticated: false, scmName: 'Bitbucket' });
    expect(before.requiredScopes).toEqual(['account', 'repository', 'repository:write', 'pullrequest', 'issue']);

    const callback = await authorizeAtBitbucket(stack, dev, runnerId);
    const page = await finishConnect(dev, callback);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Bitbucket is now connected as Alice.');
    expect(page.text).toContain(`"targetOrigin":"${new URL(stack.dashboard).origin}"`);

    const flow = await dev.api(stack.dashboard, 'GET', `/api/connect/flows/${flowIdOf(callback)}`);
    expect(flow.body).toMatchObject({ status: 'connected', accountName: 'Alice' });
    expect(await check(dev)).toMatchObject({ authenticated: true, accountName: 'Alice' });

    const auths = await dev.api(stack.dashboard, 'GET', '/api/git-authentications');
    expect(auths.body.authentications).toHaveLength(1);
    expect(auths.body.authentications[0]).toMatchObject({ host: 'bitbucket.org', accountName: 'Alice', runnerName: 'Local runner' });
    expect(JSON.stringify(auths.body)).not.toMatch(/access_?token/i);

    const created = await dev.api(stack.dashboard, 'POST', '/api/environments', { contextUrl: 'https://bitbucket.org/acme/widgets/pull-requests/1', runnerId });
    expect(created.status).toBe(201);
    expect(created.body.context).toMatchObject({ owner: 'acme', repo: 'widgets', kind: 'pullRequest', ref: 'feature/login', pullRequest: { id: 1, sourceBranch: 'feature/login', targetBranch: 'main' }, author: { name: 'Alice' } });
    const ready = await waitForEnvironment(dev, created.body.id);
    expect(ready.phase).toBe('ready');
    const workspace = path.join(stack.dataDir, 'runner', 'workspaces', created.body.id);
    expect(execFileSync('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: workspace }).toString().trim()).toBe('feature/login');
    expect(execFileSync('git', ['config', 'remote.origin.url'], { cwd: workspace }).toString()).not.toContain('token');
    await disconnectAll(dev);
    // The runner's audit log shows who disconnected which account (never a token).
    const audit = await admin.api(stack.dashboard, 'GET', `/api/runners/${runnerId}/audit-log`);
    expect(audit.body.entries[0]).toMatchObject({ action: 'git_authentication.disconnected', actor: 'dev@acme.test', target: 'Bitbucket (Alice)' });
  });

  it('refuses a replayed state and stores nothing more', async () => {
    const dev = await devBrowser();
    const callback = await authorizeAtBitbucket(stack, dev, runnerId);
    expect((await finishConnect(dev, callback)).status).toBe(200);
    const replay = await finishConnect(dev, callback);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('already used or is not known');
    expect((await dev.api(stack.dashboard, 'GET', '/api/git-authentications')).body.authentications).toHaveLength(1);
    await disconnectAll(dev);
  });

  it('refuses a flow completed in another user’s browser, attaching no account to anyone', async () => {
    const dev = await devBrowser();
    const callback = await authorizeAtBitbucket(stack, dev, runnerId);
    // The developer sends the link to an admin, whose browser has no nonce cookie for it.
    const page = await finishConnect(admin, callback);
    expect(page.status).toBe(400);
    expect(page.text).toContain('started in another browser');
    const flow = await dev.api(stack.dashboard, 'GET', `/api/connect/flows/${flowIdOf(callback)}`);
    expect(flow.body).toMatchObject({ status: 'failed', failureCode: 'browser_mismatch' });
    expect((await dev.api(stack.dashboard, 'GET', '/api/git-authentications')).body.authentications).toHaveLength(0);
    expect((await admin.api(stack.dashboard, 'GET', '/api/git-authentications')).body.authentications).toHaveLength(0);
    // And the flow is spent: the developer cannot finish it afterwards either.
    expect((await finishConnect(dev, callback)).status).toBe(400);
  });

  it('refuses a flow used after 10 minutes', async () => {
    const dev = await devBrowser();
    const start = await dev.fetch(startUrl(stack, dev, runnerId));
    expect(start.status).toBe(302);
    const flowId = new URL(start.location!).searchParams.get('flow')!;
    const db = new SQLite(path.join(stack.dataDir, 'bff', 'runner-console.sqlite'));
    db.prepare('UPDATE oauth_flows SET expires_at = ? WHERE id = ?').run(new Date(Date.now() - 1000).toISOString(), flowId);
    db.close();
    const runnerStart = await dev.fetch(start.location!);
    expect(runnerStart.status).toBe(400);
    expect(runnerStart.text).toContain('expired');
    expect((await dev.api(stack.dashboard, 'GET', `/api/connect/flows/${flowId}`)).body.failureCode).toBe('flow_expired');
  });

  it('refuses a Connect link that did not come from the dashboard, and one for a host without integration', async () => {
    const dev = await devBrowser();
    const forged = startUrl(stack, dev, runnerId).replace(/csrf=[^&]+/, 'csrf=forged');
    expect((await dev.fetch(forged)).status).toBe(403);
    const otherHost = await dev.fetch(startUrl(stack, dev, runnerId, 'gitlab.com'));
    expect(otherHost.status).toBe(200);
    expect(otherHost.text).toContain('has no gitlab.com integration');
    expect(otherHost.location).toBeNull();
  });

  it('refuses a state whose nonce commitment was altered', async () => {
    const dev = await devBrowser();
    const callback = await authorizeAtBitbucket(stack, dev, runnerId);
    const url = new URL(callback);
    const [flowId] = url.searchParams.get('state')!.split('.');
    url.searchParams.set('state', `${flowId}.${'A'.repeat(43)}`);
    const page = await dev.fetch(url.toString());
    expect(page.status).toBe(400);
    expect((await dev.api(stack.dashboard, 'GET', '/api/git-authentications')).body.authentications).toHaveLength(0);
  });

  it('reports Cancel at Bitbucket clearly', async () => {
    const dev = await devBrowser();
    // Bitbucket skips the consent page for a consumer the user already granted, so use bob, who has not.
    const callback = await authorizeAtBitbucket(stack, dev, runnerId, { user: 'bob', decision: 'cancel' });
    const page = await finishConnect(dev, callback);
    expect(page.status).toBe(400);
    expect(page.text).toContain('You cancelled access on Bitbucket');
    expect((await dev.api(stack.dashboard, 'GET', `/api/connect/flows/${flowIdOf(callback)}`)).body.failureCode).toBe('access_denied');
  });

  it('refreshes an expired token exactly once for ten parallel uses', async () => {
    const dev = await devBrowser();
    await finishConnect(dev, await authorizeAtBitbucket(stack, dev, runnerId));
    await emulator(stack, 'POST', '/_emulator/reset-stats');
    await emulator(stack, 'POST', '/_emulator/clock', { offsetSeconds: 3 * 3600 });
    try {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => dev.api(stack.dashboard, 'POST', '/api/environments', { contextUrl: 'https://bitbucket.org/acme/widgets/src/main/', runnerId })),
      );
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
      const stats = await emulator(stack, 'GET', '/_emulator/stats');
      expect(stats.tokenCalls.refresh_token).toBe(1);
    } finally {
      await emulator(stack, 'POST', '/_emulator/clock', { offsetSeconds: 0 });
    }
    await disconnectAll(dev);
  });

  it('asks to connect again when the grant was revoked on Bitbucket', async () => {
    const dev = await devBrowser();
    await finishConnect(dev, await authorizeAtBitbucket(stack, dev, runnerId));
    await emulator(stack, 'POST', '/_emulator/grants/revoke', { username: 'alice' });
    const res = await dev.api(stack.dashboard, 'POST', '/api/environments', { contextUrl: 'https://bitbucket.org/acme/widgets', runnerId });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('scm_not_connected');
    expect(res.body.error.message).toMatch(/Connect again/);
    const after = await check(dev);
    expect(after.authenticated).toBe(false);
    expect(after.reauthorizeReason).toMatch(/revoked/);
    await disconnectAll(dev);
  });

  it('gives a clear 404 for a repository the user cannot see, and says another host is not supported (no admin can add it)', async () => {
    const dev = await devBrowser();
    await finishConnect(dev, await authorizeAtBitbucket(stack, dev, runnerId));
    const hidden = await dev.api(stack.dashboard, 'POST', '/api/environments', { contextUrl: 'https://bitbucket.org/acme/secret-plans', runnerId });
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.message).toMatch(/does not exist, or your account \(Alice\) cannot see it/);
    const gitlab = await dev.api(stack.dashboard, 'POST', '/api/environments', { contextUrl: 'https://gitlab.com/acme/widgets', runnerId });
    expect(gitlab.status).toBe(400);
    expect(gitlab.body.error.message).toMatch(/^No integration serves gitlab\.com: links on bitbucket\.org/);
    expect(gitlab.body.error.message).not.toMatch(/admin/i);
    const envs = await dev.api(stack.dashboard, 'GET', '/api/environments');
    expect(envs.body.environments.every((e: { contextUrl: string }) => !e.contextUrl.includes('secret-plans'))).toBe(true);
    await disconnectAll(dev);
  });

  it('tells a developer whose connection ended with an admin’s change why it is gone', async () => {
    const dev = await devBrowser();
    await finishConnect(dev, await authorizeAtBitbucket(stack, dev, runnerId));
    const connected = await dev.api(stack.dashboard, 'GET', '/api/git-authentications');
    expect(connected.body.authentications).toHaveLength(1);
    expect(connected.body.endedByAdmin).toEqual([]);
    // The admin replaces the integration: the old one is deleted, and its tokens with it.
    await configureBitbucket(stack, admin);
    const after = await dev.api(stack.dashboard, 'GET', '/api/git-authentications');
    expect(after.body.authentications).toEqual([]);
    expect(after.body.endedByAdmin).toMatchObject([{ runnerId, runnerName: 'Local runner', host: 'bitbucket.org', reason: 'integration_deleted' }]);
  });

  it('names the Bitbucket checkbox when the consumer lacks a scope', async () => {
    await configureBitbucket(stack, admin, ['account', 'repository', 'repository:write', 'pullrequest']);
    try {
      const dev = await devBrowser();
      const page = await finishConnect(dev, await authorizeAtBitbucket(stack, dev, runnerId));
      expect(page.status).toBe(400);
      expect(page.text).toContain('Issues: Read');
    } finally {
      await configureBitbucket(stack, admin);
    }
  });
});
