import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, TestBrowser, type TestStack } from '../test-support/test-stack.ts';
import { authorizeAtBitbucket, configureBitbucket, continueToCallback, createConsumer, emulator, flowIdOf, signedInBrowser, startUrl, finishConnect } from '../test-support/connect-journey.ts';
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
      expect((await finishConnect(d, callback)).status).toBe(200);
      await disconnect(d);
      await expectRefused(await finishConnect(d, callback), /already used or is not known/, d);
    }));

  it('state from another user’s flow', () =>
    check('oauth', 'state of another user', async () => {
      const victim = await dev();
      const attacker = admin;
      const attackerCallback = await authorizeAtBitbucket(stack, attacker, runnerId, { user: 'bob' });
      // The attacker lures the victim into finishing the attacker's flow (to attach bob to the victim, or the reverse).
      await expectRefused(await finishConnect(victim, attackerCallback), /started in another browser/, victim, attacker);
    }));

  it('missing nonce cookie', () =>
    check('oauth', 'missing nonce', async () => {
      const d = await dev();
      const callback = await authorizeAtBitbucket(stack, d, runnerId);
      for (const name of [...d.cookiesOf(stack.runner).keys()]) d.cookiesOf(stack.runner).delete(name);
      await expectRefused(await finishConnect(d, callback), /another browser/, d);
    }));

  it('wrong nonce cookie', () =>
    check('oauth', 'wrong nonce', async () => {
      const d = await dev();
      const callback = await authorizeAtBitbucket(stack, d, runnerId);
      for (const name of [...d.cookiesOf(stack.runner).keys()]) d.cookiesOf(stack.runner).set(name, 'A'.repeat(43));
      await expectRefused(await finishConnect(d, callback), /another browser/, d);
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
      expect((await finishConnect(d, first)).status).toBe(200);
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
      await expectRefused(await finishConnect(d, callback), /cancelled access/, d);
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
        await expectRefused(await finishConnect(d, callback), /Bitbucket did not accept the sign-in code|Connect again/, d);
      } finally {
        await configureBitbucket(stack, admin).then((r) => (integrationId = r.integrationId));
      }
    }));

  /**
   * The review's finding: a member mints a Connect start link (GET /api/connect/start, keeping the
   * Location) and hands it to someone else. Whoever opens it signs in to Bitbucket as themselves;
   * the nonce cookie binds start and callback to *their* browser, so before the fix the callback
   * stored their account for the member. Now the token waits on the runner until the dashboard has
   * seen the flow's own user in that browser.
   */
  async function mintStartLink(owner: TestBrowser) {
    const started = await owner.fetch(startUrl(stack, owner, runnerId));
    expect(started.status).toBe(302);
    return { link: started.location!, flowId: new URL(started.location!).searchParams.get('flow')! };
  }

  async function auditActions(): Promise<{ action: string; details: Record<string, unknown>; target: string }[]> {
    return (await admin.api(stack.dashboard, 'GET', `/api/runners/${runnerId}/audit-log`)).body.entries;
  }

  it('a start link opened in a browser signed out of Runner Console attaches nothing', () =>
    check('trust', 'shared start link, browser signed out', async () => {
      const owner = await dev();
      const { link, flowId } = await mintStartLink(owner);
      const victim = new TestBrowser();
      const callback = await continueToCallback(stack, victim, link, { user: 'alice' });
      const page = await finishConnect(victim, callback);
      expect(page.status).toBe(403);
      expect(page.text).toMatch(/nothing was connected/);
      expect(page.text).not.toMatch(/now connected/);
      expect(await tokensOf(owner)).toBe(0);
      const flow = (await owner.api(stack.dashboard, 'GET', `/api/connect/flows/${flowId}`)).body;
      expect(flow).toMatchObject({ status: 'failed', failureCode: 'wrong_user' });
      const refused = (await auditActions()).find((e) => e.action === 'git_authentication.refused' && e.details.flowOwner === 'dev@acme.test');
      expect(refused?.target).toContain('Alice');
      expect(refused?.details.tokenDiscarded).toBe(true);
    }));

  it('a start link opened by another signed-in member attaches nothing to either of them', () =>
    check('trust', 'shared start link, another member', async () => {
      const owner = await dev();
      const { link } = await mintStartLink(owner);
      const other = await signedInBrowser(stack, 'admin@acme.test', 'admin');
      const page = await finishConnect(other, await continueToCallback(stack, other, link, { user: 'alice' }));
      expect(page.status).toBe(403);
      expect(page.text).toMatch(/started by another Runner Console user/);
      expect(await tokensOf(owner)).toBe(0);
      expect(await tokensOf(other)).toBe(0);
      expect((await auditActions()).some((e) => e.action === 'git_authentication.refused' && e.details.finishedBy === 'admin@acme.test')).toBe(true);
    }));

  it('the link\'s owner cannot finish a callback that reached someone else\'s browser', () =>
    check('trust', 'finish without the confirm secret', async () => {
      const owner = await dev();
      const { link, flowId } = await mintStartLink(owner);
      const victim = new TestBrowser();
      // The victim's browser stops at the runner's redirect to the dashboard; the owner, who knows
      // the flow id from the link, tries to finish it in their own session.
      const callback = await continueToCallback(stack, victim, link, { user: 'alice' });
      const atRunner = await victim.fetch(callback);
      expect(atRunner.status).toBe(302);
      expect(new URL(atRunner.location!).pathname).toBe('/api/connect/finish');
      const incomplete = await owner.fetch(`${stack.dashboard}/api/connect/finish?flow=${flowId}`);
      expect(incomplete.status).toBe(400);
      const guessed = await owner.fetch(`${stack.dashboard}/api/connect/finish?flow=${flowId}&confirm=${'A'.repeat(43)}`);
      expect(guessed.status).toBe(400);
      expect(guessed.text).toMatch(/Nothing was connected/);
      expect(await tokensOf(owner)).toBe(0);
      // The refusal ended the flow and the runner forgot the token: the real confirm secret is now useless too.
      const late = await owner.fetch(atRunner.location!);
      expect(late.status).toBe(404);
      expect(await tokensOf(owner)).toBe(0);
    }));

  it('the flow\'s own user finishes it, once', () =>
    check('trust', 'finish by the flow owner, once', async () => {
      const owner = await dev();
      const callback = await authorizeAtBitbucket(stack, owner, runnerId);
      const atRunner = await owner.fetch(callback);
      const finished = await owner.fetch(atRunner.location!);
      expect(finished.status).toBe(200);
      expect(finished.text).toMatch(/now connected as Alice/);
      expect(finished.res.headers.get('cross-origin-opener-policy')).toBe('unsafe-none');
      expect(await tokensOf(owner)).toBe(1);
      expect((await owner.fetch(atRunner.location!)).status).toBe(404);
      expect((await auditActions()).some((e) => e.action === 'git_authentication.connected' && e.target.includes('Alice'))).toBe(true);
      await disconnect(owner);
    }));

  it('returnTo cannot send the browser to another site', () =>
    check('trust', 'returnTo open redirect', async () => {
      const d = await dev();
      const dashboardOrigin = new URL(stack.dashboard).origin;
      const variants = ['/\\evil.example/x', '/\t/evil.example', '/\n/evil.example', '//evil.example/x', '\\\\evil.example', 'https://evil.example/', '/%0a/evil.example', '/\u202e/x'];
      for (const returnTo of variants) {
        const q = new URLSearchParams({ runnerId, host: 'bitbucket.org', csrf: d.cookie(stack.dashboard, 'rc_csrf') ?? '', mode: 'tab', returnTo });
        const res = await d.fetch(`${stack.dashboard}/api/connect/start?${q}`);
        if (res.location) expect(new URL(res.location).origin, returnTo).not.toBe('http://evil.example');
        expect(res.status, JSON.stringify(returnTo)).toBe(returnTo === '/%0a/evil.example' ? 302 : 400);
      }
      // A row written before the check (or by a compromised database) still cannot leave the dashboard.
      const q = new URLSearchParams({ runnerId, host: 'bitbucket.org', csrf: d.cookie(stack.dashboard, 'rc_csrf') ?? '', mode: 'tab', returnTo: '/environments/new' });
      const started = await d.fetch(`${stack.dashboard}/api/connect/start?${q}`);
      const flowId = new URL(started.location!).searchParams.get('flow')!;
      const db = new SQLite(path.join(stack.dataDir, 'bff', 'runner-console.sqlite'));
      db.prepare('UPDATE oauth_flows SET return_to = ? WHERE id = ?').run('/\\evil.example/x', flowId);
      db.close();
      const callback = await continueToCallback(stack, d, started.location!, { decision: 'cancel' });
      const back = await d.fetch(callback);
      expect(back.status).toBe(302);
      expect(new URL(back.location!).origin).toBe(dashboardOrigin);
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
