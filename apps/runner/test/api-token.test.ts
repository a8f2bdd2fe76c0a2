import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealClientSecret } from '@runner-console/envelope';
import type { TestBrowser } from '../../../test-support/test-stack.ts';
import { startTestStack, type TestStack } from '../../../test-support/test-stack.ts';
import { authorizeAtBitbucket, createConsumer, emulator, localRunnerId, signedInBrowser, finishConnect } from '../../../test-support/connect-journey.ts';

const ALL_SCOPES = ['read:user:bitbucket', 'read:repository:bitbucket', 'write:repository:bitbucket', 'read:pullrequest:bitbucket'];
let stack: TestStack;
let admin: TestBrowser;
let runnerId: string;
let integrationId: string;
const tokensSeen: string[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  admin = await signedInBrowser(stack, 'admin@acme.test', 'admin');
  runnerId = await localRunnerId(stack, admin);
  const consumer = await createConsumer(stack);
  const created = await admin.api(stack.dashboard, 'POST', `/api/runners/${runnerId}/integrations`, {
    provider: 'bitbucket',
    host: 'bitbucket.org',
    oauthEnabled: true,
    clientId: consumer.key,
    oauthPlaintextClientSecret: consumer.secret,
    patEnabled: true,
  });
  expect(created.status).toBe(201);
  integrationId = created.body.id;
}, 90_000);
afterAll(async () => stack?.stop());

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

async function createApiToken(scopes = ALL_SCOPES, expiresOn = day(30)) {
  const created = (await emulator(stack, 'POST', '/_emulator/api-tokens', { username: 'alice', scopes, expiresAt: expiresOn })) as { token: string; email: string };
  tokensSeen.push(created.token);
  return created;
}

async function userIdOf(browser: TestBrowser): Promise<string> {
  return (await browser.api(stack.dashboard, 'GET', '/api/auth/session')).body.user.id;
}

/** What the browser does: seal the token to the runner's key from check-authentication, bound to runner, host and user. */
async function enterToken(browser: TestBrowser, input: { email: string; token: string; expiresOn?: string; sealFor?: string }) {
  const check = (await browser.api(stack.dashboard, 'POST', `/api/runners/${runnerId}/check-authentication`, { host: 'bitbucket.org' })).body;
  const tokenEnvelope = await sealClientSecret({ secret: input.token, publicJwk: check.supportsPat.publicKey, runnerId, host: 'bitbucket.org', userId: input.sealFor ?? (await userIdOf(browser)) });
  return browser.api(stack.dashboard, 'POST', `/api/runners/${runnerId}/api-tokens`, { host: 'bitbucket.org', email: input.email, tokenEnvelope, expiresOn: input.expiresOn ?? day(30) });
}

async function connections(browser: TestBrowser) {
  return (await browser.api(stack.dashboard, 'GET', '/api/git-authentications')).body.authentications as { id: string; method: string; expiresAt: string; needsReauthorization: boolean; reauthorizeReason: string | null }[];
}

async function disconnectAll(browser: TestBrowser) {
  for (const a of await connections(browser)) await browser.api(stack.dashboard, 'DELETE', `/api/git-authentications/${runnerId}/${a.id}`);
}

async function waitForEnvironment(browser: TestBrowser, id: string) {
  for (let i = 0; i < 200; i++) {
    const env = (await browser.api(stack.dashboard, 'GET', `/api/environments/${id}`)).body;
    if (env.phase === 'ready' || env.phase === 'failed') return env;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('environment never finished');
}

function readAllFiles(dir: string): string {
  let all = '';
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) all += readAllFiles(p);
    else if (entry.isFile()) all += fs.readFileSync(p).toString('latin1');
  }
  return all;
}

// The attacks (other user or runner, missing scope, wrong e-mail, app password, expired, revoked)
// are in security/api-token-attacks.test.ts.
describe('API tokens (BFF, runner and emulator as npm start runs them)', () => {
  it('connects with an API token, then resolves PR #1 and clones its branch with the token', async () => {
    const dev = await signedInBrowser(stack, 'dev@acme.test', 'dev');
    const { token, email } = await createApiToken();
    // Pasted with spaces and a line break: trimmed by the runner as well as by the form.
    const res = await enterToken(dev, { email, token: ` ${token.slice(0, 60)}\n${token.slice(60)} \n` });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ method: 'api_token', accountName: 'Alice', message: expect.stringMatching(/^Bitbucket is now connected as Alice \(API token, expires /) });

    const check = (await dev.api(stack.dashboard, 'POST', `/api/runners/${runnerId}/check-authentication`, { host: 'bitbucket.org' })).body;
    expect(check).toMatchObject({ authenticated: true, accountName: 'Alice', method: 'api_token', expiresAt: expect.stringContaining(day(30)) });
    expect(check.supportsPat.createUrl).toBe(`${stack.bitbucket}/account/settings/api-tokens/`);
    expect((await connections(dev))[0]).toMatchObject({ method: 'api_token', needsReauthorization: false });

    const created = await dev.api(stack.dashboard, 'POST', '/api/environments', { contextUrl: 'https://bitbucket.org/acme/widgets/pull-requests/1', runnerId });
    expect(created.status).toBe(201);
    expect(created.body.context).toMatchObject({ kind: 'pullRequest', ref: 'feature/login', author: { name: 'Alice', email: 'alice@acme.test' } });
    const ready = await waitForEnvironment(dev, created.body.id);
    expect(ready.phase).toBe('ready');
    const workspace = path.join(stack.dataDir, 'runner', 'workspaces', created.body.id);
    expect(execFileSync('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: workspace }).toString().trim()).toBe('feature/login');
    await disconnectAll(dev);
  });

  it('turning tokens off deletes exactly the connections made with tokens', async () => {
    const dev = await signedInBrowser(stack, 'dev@acme.test', 'dev');
    const { token, email } = await createApiToken();
    expect((await enterToken(dev, { email, token })).status).toBe(201);
    const callback = await authorizeAtBitbucket(stack, admin, runnerId);
    expect((await finishConnect(admin, callback)).status).toBe(200);
    const count = await admin.api(stack.dashboard, 'GET', `/api/runners/${runnerId}/integrations/${integrationId}/api-token-connections`);
    expect(count.body).toEqual({ count: 1 });

    const off = await admin.api(stack.dashboard, 'PATCH', `/api/runners/${runnerId}/integrations/${integrationId}`, { patEnabled: false });
    expect(off.status).toBe(200);
    expect(await connections(dev)).toEqual([]);
    expect((await connections(admin)).map((c) => c.method)).toEqual(['oauth']);
    await admin.api(stack.dashboard, 'PATCH', `/api/runners/${runnerId}/integrations/${integrationId}`, { patEnabled: true });
    await disconnectAll(admin);
  });

  it('never writes a plaintext token to the data folder or the logs', () => {
    const everything = readAllFiles(stack.dataDir);
    for (const token of tokensSeen) expect(everything).not.toContain(token);
  });
});
