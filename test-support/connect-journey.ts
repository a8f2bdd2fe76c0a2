import { expect } from 'vitest';
import { TestBrowser, formBody, formField, type TestStack as FullTestStack } from './test-stack.ts';

/** What these helpers need of a running stack (a start.mjs stack or a service stack). */
type TestStack = Pick<FullTestStack, 'dashboard' | 'runner' | 'bitbucket' | 'dataDir'>;

export const requiredPermissions = ['account', 'repository', 'repository:write', 'pullrequest', 'issue'];

export async function signedInBrowser(stack: TestStack, email: string, password: string): Promise<TestBrowser> {
  const browser = new TestBrowser();
  const res = await browser.api(stack.dashboard, 'POST', '/api/auth/sign-in', { email, password });
  expect(res.status).toBe(200);
  return browser;
}

export async function createConsumer(stack: TestStack, permissions = requiredPermissions, callbackUrl = `${stack.runner}/oauth/callback`) {
  const res = await fetch(`${stack.bitbucket}/_emulator/consumers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ workspace: 'acme', name: `Runner Console ${Math.random()}`, callbackUrl, permissions, private: false }),
  });
  expect(res.ok).toBe(true);
  return (await res.json()) as { key: string; secret: string };
}

export async function localRunnerId(stack: TestStack, admin: TestBrowser): Promise<string> {
  const res = await admin.api(stack.dashboard, 'GET', '/api/runners');
  return res.body.runners.find((r: { name: string }) => r.name === 'Local runner').id;
}

/** Admin side, through the API-client path (plaintext secret, sealed by the BFF on arrival). */
export async function configureBitbucket(stack: TestStack, admin: TestBrowser, permissions = requiredPermissions) {
  const consumer = await createConsumer(stack, permissions);
  const runnerId = await localRunnerId(stack, admin);
  const existing = await admin.api(stack.dashboard, 'GET', `/api/runners/${runnerId}/integrations`);
  for (const i of existing.body.integrations) await admin.api(stack.dashboard, 'DELETE', `/api/runners/${runnerId}/integrations/${i.id}`);
  const created = await admin.api(stack.dashboard, 'POST', `/api/runners/${runnerId}/integrations`, {
    provider: 'bitbucket',
    host: 'bitbucket.org',
    oauthEnabled: true,
    clientId: consumer.key,
    oauthPlaintextClientSecret: consumer.secret,
  });
  expect(created.status).toBe(201);
  return { runnerId, consumer, integrationId: created.body.id as string };
}

export function startUrl(stack: TestStack, browser: TestBrowser, runnerId: string, host = 'bitbucket.org') {
  const q = new URLSearchParams({ runnerId, host, csrf: browser.cookie(stack.dashboard, 'rc_csrf') ?? '', mode: 'popup' });
  return `${stack.dashboard}/api/connect/start?${q}`;
}

/**
 * Go from Connect to Bitbucket's redirect back to the runner, signing in to the emulator and
 * deciding on the consent page. Returns the callback URL without visiting it.
 */
export async function authorizeAtBitbucket(stack: TestStack, browser: TestBrowser, runnerId: string, opts: { user?: string; decision?: 'grant' | 'cancel'; runnerUrl?: string } = {}) {
  return continueToCallback(stack, browser, startUrl(stack, browser, runnerId), opts);
}

/** From any URL of the flow (the BFF start, the runner start, Bitbucket's authorize), on to the callback. */
export async function continueToCallback(stack: TestStack, browser: TestBrowser, from: string, opts: { user?: string; decision?: 'grant' | 'cancel'; runnerUrl?: string } = {}) {
  const atCallback = (url: string) => url.startsWith(`${opts.runnerUrl ?? stack.runner}/oauth/callback`);
  let step = await browser.follow(from, atCallback);
  for (let i = 0; i < 4 && !step.stoppedAt; i++) {
    const page = step.page!;
    if (page.text.includes('name="username"')) {
      const form = formBody({ csrf_token: formField(page.text, 'csrf_token'), next: formField(page.text, 'next'), username: opts.user ?? 'alice', password: opts.user ?? 'alice' });
      const posted = await browser.fetch(`${stack.bitbucket}/account/signin/`, { method: 'POST', ...form });
      step = await browser.follow(posted.location!, atCallback);
    } else if (page.text.includes('value="grant"')) {
      const fields: Record<string, string> = { decision: opts.decision ?? 'grant' };
      for (const name of ['csrf_token', 'client_id', 'response_type', 'redirect_uri', 'state']) {
        try {
          fields[name] = formField(page.text, name);
        } catch {
          /* optional field */
        }
      }
      const posted = await browser.fetch(`${stack.bitbucket}/site/oauth2/authorize`, { method: 'POST', ...formBody(fields) });
      step = await browser.follow(posted.location!, atCallback);
    } else {
      throw new Error(`unexpected page at ${page.url}: ${page.status} ${page.text.slice(0, 300)}`);
    }
  }
  if (!step.stoppedAt) throw new Error('never reached the callback');
  return step.stoppedAt;
}

export function flowIdOf(callbackUrl: string): string {
  return new URL(callbackUrl).searchParams.get('state')!.split('.')[0]!;
}

export async function emulator(stack: TestStack, method: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.bitbucket}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json().catch(() => undefined);
}

/**
 * Visit the provider's redirect to the runner's callback and follow on, through the dashboard's
 * finish step where the runner's token is stored for the flow's own user: the page the popup ends on
 * (the dashboard's result page, or the runner's page for a refusal at the callback).
 */
export async function finishConnect(browser: TestBrowser, callbackUrl: string) {
  const { page } = await browser.follow(callbackUrl);
  return page!;
}
