import type { Browser, BrowserContext, Page, Request } from '@playwright/test';
import type { BenchStack } from './stack.ts';
import { ms, percentile, ratio, type BenchRow } from './stats.ts';

const CONNECTED_TEXT = 'now connected';

/** The budget of a Connect confirmation row, unless its provider's issue sets a tighter one. */
export const CONNECT_BUDGET_MS = 300;
/** GitLab's issue (24) asks p95 < 50 ms of its Connect confirmation. */
export const GITLAB_CONNECT_BUDGET_MS = 50;

/** What differs between providers in the measured flow: the context URL and the emulator's sign-in and consent pages. */
export interface ConnectProvider {
  name: string;
  /** A pull request on the provider's emulator (served by the runner's integration for its host). */
  contextUrl: string;
  /** Sign in at the emulator and grant access, where the popup asks (not measured). */
  signInAndGrant(popup: Page): Promise<void>;
}

export const connectProviders = {
  bitbucket: {
    name: 'Bitbucket',
    contextUrl: 'https://bitbucket.org/acme/widgets/pull-requests/1',
    signInAndGrant: (popup) => signInAndGrant(popup, { username: 'Username', submit: 'Log in', grant: 'Grant access' }),
  },
  github: {
    name: 'GitHub',
    contextUrl: 'https://github.com/acme/widgets/pull/1',
    signInAndGrant: (popup) => signInAndGrant(popup, { username: 'Username or email address', submit: 'Sign in', grant: 'Authorize acme' }),
  },
  gitlab: {
    name: 'GitLab',
    contextUrl: 'https://gitlab.com/acme/widgets/-/merge_requests/1',
    signInAndGrant: (popup) => signInAndGrant(popup, { username: 'Username or email address', submit: 'Sign in', grant: 'Authorize' }),
  },
  bitbucketDataCenter: {
    name: 'Bitbucket Data Center',
    contextUrl: 'https://bitbucket.acme.test/projects/ACME/repos/widgets/pull-requests/1/overview',
    signInAndGrant: (popup) => signInAndGrant(popup, { username: 'Username or email address', submit: 'Sign in', grant: 'Allow' }),
  },
  azureDevops: {
    name: 'Azure DevOps',
    contextUrl: 'https://dev.azure.com/acme/widgets/_git/widgets/pullrequest/1',
    // Microsoft Entra ID's sign-in and consent (the Entra emulator's pages).
    signInAndGrant: (popup) => signInAndGrant(popup, { username: 'Username or email address', submit: 'Sign in', grant: 'Accept' }),
  },
} satisfies Record<string, ConnectProvider>;

declare global {
  interface Window {
    __benchConnectedAt?: number;
    __benchMessageAt?: number;
  }
}

type Path = 'postMessage' | 'server-event';

/**
 * Connect in headless Chromium as dev with alice, who has already granted the consumer, so the
 * emulator redirects to the callback at once. The figure runs from the browser sending the callback
 * request to the runner (Playwright's request timing: wall-clock start) to the moment a
 * MutationObserver in the dashboard sees "now connected" in the DOM (Date.now() in the page). Both
 * are the same machine clock. The server-event path cuts `window.opener` in the popup.
 */
export async function benchConnectLatency(
  stack: BenchStack,
  browser: Browser,
  runnerId: string,
  flows: number,
  {
    provider = connectProviders.bitbucket,
    paths = ['postMessage', 'server-event'],
    labels = ['1a', '1b'],
    budgetMs = CONNECT_BUDGET_MS,
  }: { provider?: ConnectProvider; paths?: readonly Path[]; labels?: readonly string[]; budgetMs?: number } = {},
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  let baseline = Number.NaN;
  for (const [index, path] of paths.entries()) {
    const { samples, baselineSamples, parts } = await runPath(stack, browser, runnerId, path, flows, provider);
    if (path === 'postMessage') baseline = percentile(baselineSamples, 95);
    const p95 = percentile(samples, 95);
    rows.push({
      benchmark: `${labels[index] ?? `1${index}`}. Connect confirmation${provider === connectProviders.bitbucket ? '' : ` (${provider.name})`}, ${path === 'postMessage' ? 'postMessage path' : 'server-event path (opener cut)'}, p95 (n=${samples.length}; p50 ${ms(percentile(samples, 50))}; runner's callback answer p50 ${ms(percentile(parts.callback, 50))}${parts.message.length ? `, postMessage received p50 ${ms(percentile(parts.message, 50))}` : ''})`,
      figure: ms(p95),
      baseline: `${ms(baseline)} (page fetch + DOM update, p95)`,
      ratio: ratio(p95, baseline),
      budget: `p95 < ${budgetMs} ms`,
      pass: samples.length >= flows && p95 < budgetMs,
    });
  }
  return rows;
}

async function runPath(stack: BenchStack, browser: Browser, runnerId: string, path: Path, flows: number, provider: ConnectProvider) {
  const context = await browser.newContext({ baseURL: stack.dashboard });
  context.setDefaultTimeout(20_000);
  if (path === 'server-event') {
    // Cut the opener as soon as the popup is on the runner's origin: the result page cannot post back.
    await context.addInitScript(`if (location.origin === ${JSON.stringify(stack.runner)} && window.opener) window.opener = null;`);
  }
  const page = await context.newPage();
  await signIn(page, 'dev@acme.test', 'dev');
  let callback: Request | undefined;
  let callbackSeenAt = 0;
  context.on('request', (req) => {
    if (req.url().startsWith(`${stack.runner}/oauth/callback`)) {
      callback = req;
      callbackSeenAt = Date.now();
    }
  });

  const samples: number[] = [];
  const baselineSamples: number[] = [];
  const parts = { callback: [] as number[], message: [] as number[] };
  // Flow 0 signs in at the emulator (once per browser context) and grants the consumer if asked: not measured.
  for (let i = 0; i <= flows; i++) {
    await page.goto(`/environments/new?contextUrl=${encodeURIComponent(provider.contextUrl)}&runnerId=${encodeURIComponent(runnerId)}`);
    const connect = page.getByRole('button', { name: /^Connect( again)?$/ });
    await connect.waitFor({ timeout: 15_000 });
    await page.evaluate((text) => {
      window.__benchConnectedAt = 0;
      new MutationObserver((_m, observer) => {
        if (document.body.textContent?.includes(text)) {
          window.__benchConnectedAt = Date.now();
          observer.disconnect();
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
      window.__benchMessageAt = 0;
      // An anonymous listener: tsx would wrap a named one in a helper the page does not have.
      window.addEventListener('message', (e) => {
        if ((e.data as { type?: string } | null)?.type === 'runner-console:connect-result' && !window.__benchMessageAt) window.__benchMessageAt = Date.now();
      });
    }, CONNECTED_TEXT);
    callback = undefined;
    const popupPromise = page.waitForEvent('popup');
    await connect.click();
    const popup = await popupPromise;
    // Beside the wait for the result: a popup that closes by itself ends it.
    const granting = provider.signInAndGrant(popup).catch(() => undefined);
    await page.waitForFunction(() => (window.__benchConnectedAt ?? 0) > 0, null, { timeout: 20_000, polling: 50 });
    const { shownAt, messageAt } = await page.evaluate(() => ({ shownAt: window.__benchConnectedAt!, messageAt: window.__benchMessageAt ?? 0 }));
    if (!callback) throw new Error('the callback request was not seen');
    const timing = (callback as Request).timing();
    const sentAt = timing.startTime > 0 ? timing.startTime : callbackSeenAt;
    if (i > 0) {
      samples.push(shownAt - sentAt);
      // Where the time goes: the runner's answer to the callback, and (postMessage path) the message.
      if (timing.responseEnd > 0) parts.callback.push(timing.responseEnd);
      if (messageAt > 0) parts.message.push(messageAt - sentAt);
    }
    if (!popup.isClosed()) await popup.close().catch(() => undefined);
    await granting;
    await disconnectAll(page, context);
    if (path === 'postMessage' && i > 0) baselineSamples.push(await fetchAndRender(page));
  }
  await context.close();
  return { samples, baselineSamples, parts };
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 15_000 });
}

/**
 * Sign in at the emulator and grant access, where the popup asks. The first flow of a browser
 * context signs in; a later one is asked to grant again where Disconnect revoked the grant at the
 * provider (GitHub, GitLab). Neither is measured: the figure starts at the callback request.
 */
async function signInAndGrant(popup: Page, form: { username: string; submit: string; grant: string }) {
  const username = popup.getByLabel(form.username);
  const grant = popup.getByRole('button', { name: form.grant });
  const closed = () => popup.waitForEvent('close', { timeout: 15_000 }).then(() => 'closed' as const);
  const first = await Promise.race([
    username.waitFor({ timeout: 15_000 }).then(() => 'signin' as const),
    grant.waitFor({ timeout: 15_000 }).then(() => 'asked' as const),
    closed(),
  ]).catch(() => 'closed' as const);
  if (first === 'asked') return grant.click();
  if (first !== 'signin') return;
  await username.fill('alice');
  await popup.getByLabel('Password').fill('alice');
  await popup.getByRole('button', { name: form.submit }).click();
  const next = await Promise.race([grant.waitFor({ timeout: 15_000 }).then(() => 'asked' as const), closed()]).catch(() => 'closed' as const);
  if (next === 'asked') await grant.click();
}

/** Disconnect (the API the Disconnect button uses), so the next flow shows Connect again. */
async function disconnectAll(page: Page, context: BrowserContext) {
  const csrf = (await context.cookies()).find((c) => c.name === 'rc_csrf')?.value ?? '';
  const list = await page.request.get('/api/git-authentications');
  const { authentications } = (await list.json()) as { authentications: { id: string; runnerId: string }[] };
  for (const a of authentications) {
    const res = await page.request.delete(`/api/git-authentications/${a.runnerId}/${a.id}`, { headers: { 'x-csrf-token': csrf } });
    if (!res.ok()) throw new Error(`disconnect answered ${res.status()}`);
  }
}

/** Baseline: the same page fetches from the BFF and puts a line of text in the DOM. */
async function fetchAndRender(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const t0 = Date.now();
    const res = await fetch('/healthz', { cache: 'no-store' });
    await res.json();
    const p = document.createElement('p');
    p.textContent = 'ok';
    document.body.append(p);
    const t1 = Date.now();
    p.remove();
    return t1 - t0;
  });
}
