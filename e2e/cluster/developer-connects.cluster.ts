import { expect, test, type Page } from '@playwright/test';
import { signIn } from '../fixtures.ts';
import { cluster, configureBitbucket, killInstance, linkOwnerOf, signedInBrowser, type InstanceName } from './cluster-fixtures.ts';

const PR_URL = 'https://bitbucket.org/acme/widgets/pull-requests/1';

/**
 * The instance serving the page's live event stream: the latest /api/events the page opened. The
 * app may close and reopen its one stream while a page mounts (its subscribers come and go), so the
 * first stream of a page load is not always the live one.
 */
function trackLiveStream(page: Page): () => string {
  let servedBy = '';
  page.on('response', (res) => {
    if (new URL(res.url()).pathname === '/api/events' && res.status() === 200) servedBy = res.headers()['x-served-by'] ?? '';
  });
  return () => servedBy;
}

/** Open New environment as dev with the pull request's link; resolves with the instance serving its live event stream. */
async function openNewEnvironment(page: Page, liveStream: () => string): Promise<string> {
  const stream = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/events');
  await page.goto('/environments/new');
  await stream;
  await page.getByLabel('Context URL').fill(PR_URL);
  await expect(page.getByText('Pull request #1 in acme/widgets')).toBeVisible();
  return liveStream();
}

test('a developer connects Bitbucket: the callback reaches another instance than the dashboard’s event stream', async ({ page }) => {
  const admin = await signedInBrowser('admin@acme.test', 'admin');
  await configureBitbucket(admin);
  await signIn(page, 'dev');
  const liveStream = trackLiveStream(page);

  // The runner reports the callback over its link; make sure that is not this page's instance.
  let streamOn = await openNewEnvironment(page, liveStream);
  let linkOn = await linkOwnerOf();
  for (let i = 0; i < 10 && (!linkOn || streamOn === linkOn); i++) {
    streamOn = await openNewEnvironment(page, liveStream);
    linkOn = await linkOwnerOf();
  }
  expect(linkOn).toBeTruthy();
  expect(streamOn).toMatch(/^bff-\d$/);
  expect(streamOn).not.toBe(linkOn);

  const panel = page.getByRole('region', { name: 'Authorize Bitbucket' });
  const popupPromise = page.waitForEvent('popup');
  await panel.getByRole('button', { name: 'Connect', exact: true }).click();
  const popup = await popupPromise;
  await popup.getByLabel('Username').waitFor();
  // Cut the popup from its opener: only the server-pushed event can tell the dashboard now.
  await popup.evaluate(() => {
    window.opener = null;
  });
  await popup.getByLabel('Username').fill('alice');
  await popup.getByLabel('Password').fill('alice');
  await popup.getByRole('button', { name: 'Log in' }).click();
  const grant = popup.getByRole('button', { name: 'Grant access' });
  if (await grant.isVisible({ timeout: 5_000 }).catch(() => false)) await grant.click();

  await expect(page.getByRole('status').filter({ hasText: 'Bitbucket is now connected as Alice' })).toBeVisible();
  // Said once: the confirmation, not also the "Connected to Bitbucket as Alice" line.
  await expect(page.getByText('Connected to Bitbucket as Alice')).toHaveCount(0);

  // The instance serving this page's live event stream dies: the browser's stream reconnects (to
  // another instance) by itself.
  streamOn = liveStream();
  const reconnected = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/events' && res.status() === 200, { timeout: 15_000 });
  killInstance(streamOn as InstanceName);
  // (To another instance, or to this one started again: HAProxy decides.)
  expect((await reconnected).headers()['x-served-by']).toMatch(/^bff-\d$/);

  // The environment is resolved and cloned through the runner's link, and its progress comes back
  // over the new stream.
  await page.getByRole('button', { name: 'Create environment' }).click();
  await expect(page).toHaveURL(/\/environments\/[^/]+$/, { timeout: 30_000 });
  await expect(page.getByText('Ready', { exact: true })).toBeVisible({ timeout: 30_000 });
  expect(cluster.instances).toContain(streamOn);
});
