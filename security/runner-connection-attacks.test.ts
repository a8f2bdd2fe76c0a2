import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealClientSecret } from '@runner-console/envelope';
import { startTestStack, type TestBrowser, type TestStack } from '../test-support/test-stack.ts';
import { emulator, localRunnerId, signedInBrowser } from '../test-support/connect-journey.ts';
import { openDatabase } from '../apps/bff/src/store/database.ts';
import { createOtherOrgAdmin } from '../apps/bff/test/other-org.ts';
import { check } from './support/record-security-row.ts';

/**
 * Runner › Connections (issue 27): an admin lists and revokes developers' connections on a runner.
 * Attacked through the real stack (BFF behind a recording proxy, runner, emulator): a member and
 * another organization's admin try to list and revoke someone else's connection, and what the
 * runner answers the BFF's `listConnections` over the link (what a compromised BFF would get) is
 * read byte for byte for the token.
 */
let stack: TestStack;
let admin: TestBrowser;
let dev: TestBrowser;
let otherOrgAdmin: TestBrowser;
let runnerId: string;
let plaintextToken = '';
let adminConnectionId = '';

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** Connects `browser`'s user with a fresh Bitbucket API token (sealed in the test as the browser seals it). */
async function connectWithApiToken(browser: TestBrowser): Promise<string> {
  const created = (await emulator(stack, 'POST', '/_emulator/api-tokens', {
    username: 'alice',
    scopes: ['read:user:bitbucket', 'read:repository:bitbucket', 'write:repository:bitbucket', 'read:pullrequest:bitbucket'],
    expiresAt: day(30),
  })) as { token: string; email: string };
  const userId = (await browser.api(stack.dashboard, 'GET', '/api/auth/session')).body.user.id as string;
  const checked = (await browser.api(stack.dashboard, 'POST', `/api/runners/${runnerId}/check-authentication`, { host: 'bitbucket.org' })).body;
  const tokenEnvelope = await sealClientSecret({ secret: created.token, publicJwk: checked.supportsPat.publicKey, runnerId, host: 'bitbucket.org', userId });
  const res = await browser.api(stack.dashboard, 'POST', `/api/runners/${runnerId}/api-tokens`, { host: 'bitbucket.org', email: created.email, tokenEnvelope, expiresOn: day(30) });
  expect(res.status).toBe(201);
  return created.token;
}

async function listAsAdmin() {
  const res = await admin.api(stack.dashboard, 'GET', `/api/runners/${runnerId}/connections`);
  expect(res.status).toBe(200);
  return res.body.connections as { id: string; userEmail: string | null }[];
}

beforeAll(async () => {
  stack = await startTestStack({ recordBff: true });
  admin = await signedInBrowser(stack, 'admin@acme.test', 'admin');
  dev = await signedInBrowser(stack, 'dev@acme.test', 'dev');
  runnerId = await localRunnerId(stack, admin);
  const created = await admin.api(stack.dashboard, 'POST', `/api/runners/${runnerId}/integrations`, { provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: false, patEnabled: true });
  expect(created.status).toBe(201);
  // Another organization, written into the stack's own database (there is no API to make one yet).
  const db = await openDatabase(path.join(stack.dataDir, 'bff', 'runner-console.sqlite'));
  const other = await createOtherOrgAdmin(db);
  await db.destroy();
  otherOrgAdmin = await signedInBrowser(stack, other.email, other.password);
  // The admin's own connection is the one the others go after.
  plaintextToken = await connectWithApiToken(admin);
  adminConnectionId = (await listAsAdmin()).find((c) => c.userEmail === 'admin@acme.test')!.id;
}, 120_000);
afterAll(async () => stack?.stop());

describe('Runner › Connections attacks', () => {
  it('a member can neither list the runner’s connections nor revoke someone else’s', async () => {
    await check('access', 'member lists or revokes connections', async () => {
      const list = await dev.api(stack.dashboard, 'GET', `/api/runners/${runnerId}/connections`);
      expect(list.status).toBe(403);
      expect(JSON.stringify(list.body)).not.toContain(adminConnectionId);
      const revoke = await dev.api(stack.dashboard, 'DELETE', `/api/runners/${runnerId}/connections/${adminConnectionId}`);
      expect(revoke.status).toBe(403);
      // The developer's own Disconnect route does not reach another user's token either.
      const disconnect = await dev.api(stack.dashboard, 'DELETE', `/api/git-authentications/${runnerId}/${adminConnectionId}`);
      expect(disconnect.status).toBe(404);
      expect((await listAsAdmin()).map((c) => c.id)).toContain(adminConnectionId);
    });
  });

  it('another organization’s admin gets 404 for the runner and its connections, and nothing is revoked', async () => {
    await check('access', 'another org lists or revokes connections', async () => {
      const list = await otherOrgAdmin.api(stack.dashboard, 'GET', `/api/runners/${runnerId}/connections`);
      expect(list.status).toBe(404);
      const revoke = await otherOrgAdmin.api(stack.dashboard, 'DELETE', `/api/runners/${runnerId}/connections/${adminConnectionId}`);
      expect(revoke.status).toBe(404);
      expect((await listAsAdmin()).map((c) => c.id)).toContain(adminConnectionId);
    });
  });

  it('what the runner answers the BFF’s listConnections holds no token (a compromised BFF gets none)', async () => {
    await check('trust', 'runner lists connections without tokens', async () => {
      const connections = await listAsAdmin();
      expect(connections.length).toBeGreaterThan(0);
      // The runner's answer crossed the recording proxy on the runner link: it is there, without the token.
      const fromRunner = stack.proxy!.receivedText();
      expect(fromRunner).toContain('"connections"');
      expect(fromRunner).toContain(adminConnectionId);
      expect(fromRunner).not.toContain(plaintextToken);
      expect(fromRunner).not.toMatch(/accessToken|refreshToken|access_ct|refresh_ct/);
      expect(stack.proxy!.sentText()).not.toContain(plaintextToken);
    });
  });

  it('the admin revokes it: erased on the runner, a second click answers 404, and the token is nowhere the BFF saw', async () => {
    await check('trust', 'admin revoke erases and stays idempotent', async () => {
      const revoke = await admin.api(stack.dashboard, 'DELETE', `/api/runners/${runnerId}/connections/${adminConnectionId}`);
      expect(revoke.status).toBe(200);
      expect(revoke.body).toEqual({ atProvider: 'not_supported' });
      expect((await listAsAdmin()).map((c) => c.id)).not.toContain(adminConnectionId);
      expect((await admin.api(stack.dashboard, 'DELETE', `/api/runners/${runnerId}/connections/${adminConnectionId}`)).status).toBe(404);
      expect(stack.proxy!.receivedText()).not.toContain(plaintextToken);
    });
  });
});
