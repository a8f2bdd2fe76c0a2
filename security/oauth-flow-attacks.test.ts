import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestBrowser, type TestStack } from '../test-support/test-stack.ts';
import { authorizeAtBitbucket, configureBitbucket, createConsumer, emulator, flowIdOf, signedInBrowser, startUrl } from '../test-support/connect-journey.ts';
import { startExtraRunner } from '../test-support/extra-runner.ts';
import { check } from './support/record-security-row.ts';

/** Item 2: every attack on the Connect flow is refused with a clear error and leaves no token stored. */
let stack: TestStack;
let admin: TestBrowser;
let runnerId: string;
let integrationId: string;

beforeAll(async () => {
  stack = await startTestStack();
  admin = await signedInBrowser(stack, 'admin@acme.test', 'admin');
  ({ runnerId, integrationId } = await configureBitbucket(stack, admin));
}, 120_000);
afterAll(async () => stack?.stop());

const dev = () => signedInBrowser(stack, 'dev@acme.test', 'dev');

async function tokensOf(browser: TestBrowser): Promise<number> {
  return (await browser.api(stack.dashboard, 'GET', '/api/git-authentications')).body.authentications.length;
}

async function disconnect(browser: TestBrowser) {
  const list = await browser.api(stack.dashboard, 'GET', '/api/git-authentications');
  for (const a of list.body.authentications) await browser.api(stack.dashboard, 'DELETE', `/api/git-authentications/${a.runnerId}/${a.id}`);
}

/** Refused: a 4xx page that says what to do, and no token for anyone. */
async function expectRefused(page: { status: number; text: string }, message: RegExp, ...browsers: TestBrowser[]) {
  expect(page.status).toBeGreaterThanOrEqual(400);
  expect(page.status).toBeLessThan(500);
  expect(page.text).toMatch(message);
  for (const b of browsers) expect(await tokensOf(b)).toBe(0);
}

describe('OAuth flow attacks', () => {
  it('state replayed', () =>
    check('oauth', 'state replayed', async () => {
      const d = await dev();
      const callback = await authorizeAtBitbucket(stack, d, runnerId);
      expect((await d.fetch(callback)).status).toBe(200);
      await disconnect(d);
      await expectRefused(await d.fetch(callback), /already used or is not known/, d);
    }));

  it('state from another user’s flow', () =>
    check('oauth', 'state of another user', async () => {
      const victim = await dev();
      const attacker = admin;
      const attackerCallback = await authorizeAtBitbucket(stack, attacker, runnerId, { user: 'bob' });
      // The attacker lures the victim into finishing the attacker's flow (to attach bob to the victim, or the reverse).
      await expectRefused(await victim.fetch(attackerCallback), /started in another browser/, victim, attacker);
    }));

  it('missing nonce cookie', () =>
    check('oauth', 'missing nonce', async () => {
      const d = await dev();
      const callback = await authorizeAtBitbucket(stack, d, runnerId);
      for (const name of [...d.cookiesOf(stack.runner).keys()]) d.cookiesOf(stack.runner).delete(name);
      await expectRefused(await d.fetch(callback), /another browser/, d);
    }));

  it('wrong nonce cookie', () =>
    check('oauth', 'wrong nonce', async () => {
      const d = await dev();
      const callback = await authorizeAtBitbucket(stack, d, runnerId);
      for (const name of [...d.cookiesOf(stack.runner).keys()]) d.cookiesOf(stack.runner).set(name, 'A'.repeat(43));
      await expectRefused(await d.fetch(callback), /another browser/, d);
    }));

  it('expired flow', () =>
    check('oauth', 'expired flow', async () => {
      const d = await dev();
      const start = await d.fetch(startUrl(stack, d, runnerId));
      const flowId = new URL(start.location!).searchParams.get('flow')!;
      const db = new SQLite(path.join(stack.dataDir, 'bff', 'runner-console.sqlite'));
      db.prepare('UPDATE oauth_flows SET expires_at = ? WHERE id = ?').run(new Date(Date.now() - 1).toISOString(), flowId);
      db.close();
      await expectRefused(await d.fetch(start.location!), /expired/, d);
    }));

  it('flow for another runner, and for another host', () =>
    check('oauth', 'other runner or host', async () => {
      const other = await startExtraRunner(stack, admin);
      try {
        const d = await dev();
        // A flow the BFF issued for the other runner, presented to this runner's start page.
        const start = await d.fetch(startUrl(stack, d, other.id));
        expect(start.status).toBe(200); // the other runner has no integration: Connect does not start at all
        expect(start.text).toMatch(/has no bitbucket.org integration/);
        // A real consumer: the runner checks the Key and Secret before the integration is saved.
        const consumer = await createConsumer(stack);
        const added = await admin.api(stack.dashboard, 'POST', `/api/runners/${other.id}/integrations`, { provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: true, clientId: consumer.key, oauthPlaintextClientSecret: consumer.secret });
        expect(added.status).toBe(201);
        const issued = await d.fetch(startUrl(stack, d, other.id));
        expect(issued.status).toBe(302);
        const stolen = new URL(issued.location!);
        const replayed = await d.fetch(`${stack.runner}/oauth/start${stolen.search}`);
        await expectRefused(replayed, /not valid/, d);
        const host = await d.fetch(startUrl(stack, d, runnerId, 'gitlab.com'));
        expect(host.location).toBeNull();
        expect(host.text).toMatch(/no gitlab.com integration/);
      } finally {
        await other.stop();
      }
    }));

  it('redirect_uri tampering', () =>
    check('oauth', 'redirect_uri tampering', async () => {
      const d = await dev();
      const start = await d.fetch(startUrl(stack, d, runnerId));
      const atRunner = await d.fetch(start.location!);
      const authorize = new URL(atRunner.location!);
      authorize.searchParams.set('redirect_uri', 'https://evil.example/steal');
      const page = await d.fetch(authorize.toString());
      expect(page.location).toBeNull();
      expect(page.status).toBeGreaterThanOrEqual(400);
      expect(await tokensOf(d)).toBe(0);
    }));

  it('authorization code reused', () =>
    check('oauth', 'code reused', async () => {
      const d = await dev();
      const first = await authorizeAtBitbucket(stack, d, runnerId);
      expect((await d.fetch(first)).status).toBe(200);
      await disconnect(d);
      const second = await authorizeAtBitbucket(stack, d, runnerId);
      const forged = new URL(second);
      forged.searchParams.set('code', new URL(first).searchParams.get('code')!);
      await expectRefused(await d.fetch(forged.toString()), /already used or expired/, d);
    }));

  it('callback with error=access_denied', () =>
    check('oauth', 'access denied', async () => {
      // A fresh consumer, so Bitbucket shows its consent page (it skips it for a consumer already granted).
      ({ integrationId } = await configureBitbucket(stack, admin));
      const d = await dev();
      const callback = await authorizeAtBitbucket(stack, d, runnerId, { user: 'bob', decision: 'cancel' });
      expect(new URL(callback).searchParams.get('error')).toBe('access_denied');
      await expectRefused(await d.fetch(callback), /cancelled access/, d);
      expect((await d.api(stack.dashboard, 'GET', `/api/connect/flows/${flowIdOf(callback)}`)).body.failureCode).toBe('access_denied');
    }));

  it('mix-up: a code from one consumer sent to another integration', () =>
    check('oauth', 'mix-up', async () => {
      const d = await dev();
      const callback = await authorizeAtBitbucket(stack, d, runnerId);
      // Meanwhile the integration now uses another consumer: the code was issued to the first one.
      const other = await createConsumer(stack);
      await admin.api(stack.dashboard, 'PATCH', `/api/runners/${runnerId}/integrations/${integrationId}`, { clientId: other.key, oauthPlaintextClientSecret: other.secret });
      try {
        await expectRefused(await d.fetch(callback), /Bitbucket did not accept the sign-in code|Connect again/, d);
      } finally {
        await configureBitbucket(stack, admin).then((r) => (integrationId = r.integrationId));
      }
    }));

  it('no stray tokens: the Bitbucket token endpoint saw no successful exchange for refused flows', () =>
    check('oauth', 'stats sanity', async () => {
      const stats = await emulator(stack, 'GET', '/_emulator/stats');
      expect(stats.tokenCalls.authorization_code).toBeGreaterThan(0);
      const d = await dev();
      expect(await tokensOf(d)).toBe(0);
      expect(await tokensOf(admin)).toBe(0);
    }));
});
