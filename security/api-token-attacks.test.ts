import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealClientSecret } from '@runner-console/envelope';
import { startTestStack, type TestBrowser, type TestStack } from '../test-support/test-stack.ts';
import { openDatabase } from '../apps/bff/src/store/database.ts';
import { createOtherOrgAdmin } from '../apps/bff/test/other-org.ts';
import { emulator, localRunnerId, signedInBrowser } from '../test-support/connect-journey.ts';
import { check } from './support/record-security-row.ts';

/**
 * Item 9: a developer's Bitbucket API token (personal access token). Every refusal the issue names
 * is attacked through the real stack (BFF behind a recording proxy, runner, emulator); afterwards
 * everything the BFF received and sent, every log and every file under the data folder is scanned
 * for each plaintext token used. The same stack also takes the attacks on Runner › Connections
 * (issue 27), whose connections are made with such tokens: a member and another organization's
 * admin go after someone's connection, and the runner's listConnections answer is read off the link.
 */
const ALL_SCOPES = ['read:user:bitbucket', 'read:repository:bitbucket', 'write:repository:bitbucket', 'read:pullrequest:bitbucket'];
let stack: TestStack;
let admin: TestBrowser;
let dev: TestBrowser;
let runnerId: string;
const tokens: string[] = [];

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []));
}

async function createApiToken(scopes = ALL_SCOPES, expiresOn = day(30)) {
  const created = (await emulator(stack, 'POST', '/_emulator/api-tokens', { username: 'alice', scopes, expiresAt: expiresOn })) as { token: string; email: string };
  tokens.push(created.token);
  return created;
}

async function userIdOf(browser: TestBrowser): Promise<string> {
  return (await browser.api(stack.dashboard, 'GET', '/api/auth/session')).body.user.id;
}

async function enterToken(browser: TestBrowser, input: { email: string; token: string; expiresOn?: string; sealFor?: string; sealForRunner?: string }) {
  const check = (await browser.api(stack.dashboard, 'POST', `/api/runners/${runnerId}/check-authentication`, { host: 'bitbucket.org' })).body;
  const tokenEnvelope = await sealClientSecret({
    secret: input.token,
    publicJwk: check.supportsPat.publicKey,
    runnerId: input.sealForRunner ?? runnerId,
    host: 'bitbucket.org',
    userId: input.sealFor ?? (await userIdOf(browser)),
  });
  return browser.api(stack.dashboard, 'POST', `/api/runners/${runnerId}/api-tokens`, { host: 'bitbucket.org', email: input.email, tokenEnvelope, expiresOn: input.expiresOn ?? day(30) });
}

async function connections(browser: TestBrowser) {
  return (await browser.api(stack.dashboard, 'GET', '/api/git-authentications')).body.authentications as { id: string }[];
}

async function disconnectAll(browser: TestBrowser) {
  for (const a of await connections(browser)) await browser.api(stack.dashboard, 'DELETE', `/api/git-authentications/${runnerId}/${a.id}`);
}

beforeAll(async () => {
  stack = await startTestStack({ recordBff: true });
  admin = await signedInBrowser(stack, 'admin@acme.test', 'admin');
  dev = await signedInBrowser(stack, 'dev@acme.test', 'dev');
  runnerId = await localRunnerId(stack, admin);
  const created = await admin.api(stack.dashboard, 'POST', `/api/runners/${runnerId}/integrations`, { provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: false, patEnabled: true });
  expect(created.status).toBe(201);
}, 120_000);
afterAll(async () => stack?.stop());

describe('API token attacks', () => {
  it('a token sealed for another user is refused, and nothing is stored', async () => {
    await check('apiTokens', 'sealed for another user', async () => {
      const { token, email } = await createApiToken();
      const res = await enterToken(dev, { email, token, sealFor: await userIdOf(admin) });
      expect(res.status).toBe(400);
      expect(await connections(dev)).toEqual([]);
      expect(await connections(admin)).toEqual([]);
    });
  });

  it('a token sealed for another runner is refused', async () => {
    await check('apiTokens', 'sealed for another runner', async () => {
      const { token, email } = await createApiToken();
      const res = await enterToken(dev, { email, token, sealForRunner: 'another-runner-id' });
      expect(res.status).toBe(400);
      expect(await connections(dev)).toEqual([]);
    });
  });

  it('a token without read:pullrequest:bitbucket is refused, naming that scope', async () => {
    await check('apiTokens', 'missing read:pullrequest:bitbucket', async () => {
      const { token, email } = await createApiToken(['read:user:bitbucket', 'read:repository:bitbucket', 'write:repository:bitbucket']);
      const res = await enterToken(dev, { email, token });
      expect(res.status).toBe(400);
      expect(res.body.error.fields.token).toContain('read:pullrequest:bitbucket');
      expect(await connections(dev)).toEqual([]);
    });
  });

  it('an expired token is refused (Bitbucket refuses it, and a past expiry date is refused before asking)', async () => {
    await check('apiTokens', 'expired token', async () => {
      const soon = await createApiToken(ALL_SCOPES, day(2));
      await emulator(stack, 'POST', '/_emulator/clock', { offsetSeconds: 3 * 86_400 });
      try {
        const res = await enterToken(dev, { email: soon.email, token: soon.token, expiresOn: day(2) });
        expect(res.status).toBe(400);
        expect(res.body.error.fields.token).toMatch(/wrong, expired or revoked/);
      } finally {
        await emulator(stack, 'POST', '/_emulator/clock', { offsetSeconds: 0 });
      }
      const past = await enterToken(dev, { email: soon.email, token: soon.token, expiresOn: day(-1) });
      expect(past.status).toBe(400);
      expect(await connections(dev)).toEqual([]);
    });
  });

  it('a revoked token is refused, before and after connecting', async () => {
    await check('apiTokens', 'revoked token', async () => {
      const before = await createApiToken();
      await emulator(stack, 'POST', '/_emulator/api-tokens/revoke', { token: before.token });
      expect((await enterToken(dev, before)).status).toBe(400);

      const after = await createApiToken();
      expect((await enterToken(dev, after)).status).toBe(201);
      await emulator(stack, 'POST', '/_emulator/api-tokens/revoke', { token: after.token });
      const env = await dev.api(stack.dashboard, 'POST', '/api/environments', { contextUrl: 'https://bitbucket.org/acme/widgets', runnerId });
      expect(env.status).toBeGreaterThanOrEqual(400);
      const status = (await dev.api(stack.dashboard, 'POST', `/api/runners/${runnerId}/check-authentication`, { host: 'bitbucket.org' })).body;
      expect(status).toMatchObject({ authenticated: false, method: 'api_token', reauthorizeReason: expect.stringMatching(/revoked or has expired/) });
      await disconnectAll(dev);
    });
  });

  it('a wrong e-mail says so; an old app password is explained', async () => {
    await check('apiTokens', 'wrong e-mail, app password', async () => {
      const { token } = await createApiToken();
      const wrong = await enterToken(dev, { email: 'bob@acme.test', token });
      expect(wrong.body.error.fields.email).toMatch(/not with bob@acme\.test/);
      const appPassword = 'ATBB3xQw8ZtLkM2nPq7RsVbC4dE5fG6hJ9kL0mN1';
      tokens.push(appPassword);
      const old = await enterToken(dev, { email: 'alice@acme.test', token: appPassword });
      expect(old.body.error.fields.token).toMatch(/no longer accepts app passwords/);
      expect(await connections(dev)).toEqual([]);
    });
  });

  describe('Runner › Connections', () => {
    let otherOrgAdmin: TestBrowser;
    let plaintextToken = '';
    let adminConnectionId = '';

    async function listAsAdmin() {
      const res = await admin.api(stack.dashboard, 'GET', `/api/runners/${runnerId}/connections`);
      expect(res.status).toBe(200);
      return res.body.connections as { id: string; userEmail: string | null }[];
    }

    beforeAll(async () => {
      // Another organization, written into the stack's own database (there is no API to make one yet).
      const db = await openDatabase(path.join(stack.dataDir, 'bff', 'runner-console.sqlite'));
      const other = await createOtherOrgAdmin(db);
      await db.destroy();
      otherOrgAdmin = await signedInBrowser(stack, other.email, other.password);
      // The admin's own connection is the one the others go after.
      const created = await createApiToken();
      plaintextToken = created.token;
      expect((await enterToken(admin, created)).status).toBe(201);
      adminConnectionId = (await listAsAdmin()).find((c) => c.userEmail === 'admin@acme.test')!.id;
    });

    it('a member can neither list the runner’s connections nor revoke someone else’s', async () => {
      await check('access', 'member lists or revokes connections', async () => {
        const list = await dev.api(stack.dashboard, 'GET', `/api/runners/${runnerId}/connections`);
        expect(list.status).toBe(403);
        expect(JSON.stringify(list.body)).not.toContain(adminConnectionId);
        expect((await dev.api(stack.dashboard, 'DELETE', `/api/runners/${runnerId}/connections/${adminConnectionId}`)).status).toBe(403);
        // The developer's own Disconnect route does not reach another user's token either.
        expect((await dev.api(stack.dashboard, 'DELETE', `/api/git-authentications/${runnerId}/${adminConnectionId}`)).status).toBe(404);
        expect((await listAsAdmin()).map((c) => c.id)).toContain(adminConnectionId);
      });
    });

    it('another organization’s admin gets 404 for the runner and its connections, and nothing is revoked', async () => {
      await check('access', 'another org lists or revokes connections', async () => {
        expect((await otherOrgAdmin.api(stack.dashboard, 'GET', `/api/runners/${runnerId}/connections`)).status).toBe(404);
        expect((await otherOrgAdmin.api(stack.dashboard, 'DELETE', `/api/runners/${runnerId}/connections/${adminConnectionId}`)).status).toBe(404);
        expect((await listAsAdmin()).map((c) => c.id)).toContain(adminConnectionId);
      });
    });

    it('what the runner answers the BFF’s listConnections holds no token (a compromised BFF gets none)', async () => {
      await check('trust', 'runner lists connections without tokens', async () => {
        expect((await listAsAdmin()).length).toBeGreaterThan(0);
        // The runner's answer crossed the recording proxy on the runner link: it is there, without the token.
        const fromRunner = stack.proxy!.receivedText();
        expect(fromRunner).toContain('"connections"');
        expect(fromRunner).toContain(adminConnectionId);
        expect(fromRunner).not.toContain(plaintextToken);
        expect(fromRunner).not.toMatch(/accessToken|refreshToken|access_ct|refresh_ct/);
        expect(stack.proxy!.sentText()).not.toContain(plaintextToken);
      });
    });

    it('the admin revokes it: erased on the runner, and a second click answers 404', async () => {
      await check('trust', 'admin revoke erases and stays idempotent', async () => {
        const revoke = await admin.api(stack.dashboard, 'DELETE', `/api/runners/${runnerId}/connections/${adminConnectionId}`);
        expect(revoke.status).toBe(200);
        expect(revoke.body).toEqual({ atProvider: 'not_supported' });
        expect((await listAsAdmin()).map((c) => c.id)).not.toContain(adminConnectionId);
        expect((await admin.api(stack.dashboard, 'DELETE', `/api/runners/${runnerId}/connections/${adminConnectionId}`)).status).toBe(404);
        expect(await connections(admin)).toEqual([]);
      });
    });
  });

  it('no plaintext token in anything the BFF received or sent, in any log, or in any file of the data folder', async () => {
    await check('apiTokens', 'plaintext scan', () => {
      expect(tokens.length).toBeGreaterThan(5);
      const received = stack.proxy!.receivedText();
      expect(received).toContain('/api-tokens');
      const sent = stack.proxy!.sentText();
      const files = filesUnder(stack.dataDir);
      expect(files.some((f) => f.endsWith('runner.log'))).toBe(true);
      const contents = files.map((f) => [f, fs.readFileSync(f).toString('latin1')] as const);
      for (const token of tokens) {
        expect(received).not.toContain(token);
        expect(sent).not.toContain(token);
        for (const [file, text] of contents) expect(text, file).not.toContain(token);
      }
    });
  });
});
