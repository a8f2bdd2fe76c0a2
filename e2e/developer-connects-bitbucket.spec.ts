import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { configureBitbucketOnLocalRunner, csrfTokenOf, signInThroughApi } from './configure-bitbucket.ts';
import { expect, test, dataDir, signIn, urls } from './fixtures.ts';

const PR_URL = 'https://bitbucket.org/acme/widgets/pull-requests/1';
const CONNECTED_AS_ALICE = 'Bitbucket is now connected as Alice';

/** As dev, on New environment with the pull request URL typed: Connect is offered. */
async function openNewEnvironmentAsDev(page: Page) {
  await signIn(page, 'dev');
  await page.getByRole('link', { name: 'New environment' }).click();
  await expect(page.getByRole('heading', { name: 'New environment' })).toBeVisible();
  await expect(page.getByLabel('Runner')).toHaveValue(/.+/);
  await expect(page.getByLabel('Runner').locator('option:checked')).toHaveText('Local runner');
  await page.getByLabel('Context URL').fill(PR_URL);
  await expect(page.getByText('Pull request #1 in acme/widgets')).toBeVisible();
  const panel = page.getByRole('region', { name: 'Authorize Bitbucket' });
  await expect(panel).toBeVisible();
  await expect(panel.getByText('repository:write')).toBeVisible();
  return panel;
}

/** Bitbucket's sign-in, then its consent page (skipped when the user already granted this consumer). */
async function signInAtBitbucket(target: Page, username: 'alice' | 'bob') {
  await target.getByLabel('Username').fill(username);
  await target.getByLabel('Password').fill(username);
  await target.getByRole('button', { name: 'Log in' }).click();
}

async function grantIfAsked(target: Page, isPopup: boolean) {
  const grant = target.getByRole('button', { name: 'Grant access' });
  if (isPopup) {
    const closed = target.waitForEvent('close').then(() => 'closed' as const);
    const asked = grant.waitFor().then(() => 'asked' as const);
    const first = await Promise.race([closed, asked]).catch(() => 'closed' as const);
    closed.catch(() => {});
    asked.catch(() => {});
    if (first === 'asked') await grant.click();
  } else if (await grant.isVisible({ timeout: 5_000 }).catch(() => false)) {
    await grant.click();
  }
}

/**
 * Connect through the popup as alice, and see the confirmation on the page at once. The emulator
 * remembers its sign-in for the browser context, so a second Connect goes straight to consent.
 */
async function connectAsAlice(page: Page, { signedInAtBitbucket = false } = {}) {
  const popupPromise = page.waitForEvent('popup');
  await page.getByRole('button', { name: /^Connect( again)?$/ }).click();
  const popup = await popupPromise;
  await expect(page.getByRole('status').filter({ hasText: 'Waiting for Bitbucket' })).toBeVisible();
  if (!signedInAtBitbucket) await signInAtBitbucket(popup, 'alice');
  await grantIfAsked(popup, true);
  await expect(page.getByRole('status').filter({ hasText: CONNECTED_AS_ALICE })).toBeVisible();
  // Said once: the confirmation, not also the "Connected to Bitbucket as Alice" line.
  await expect(page.getByText('Connected to Bitbucket as Alice')).toHaveCount(0);
  return popup;
}

/** Create the environment from the form and wait until the runner says it is ready. */
async function createEnvironmentAndWaitReady(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Create environment' }).click();
  await expect(page).toHaveURL(/\/environments\/[^/]+$/, { timeout: 30_000 });
  await expect(page.getByText('Ready', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('feature/login', { exact: true })).toBeVisible();
  const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  return id;
}

async function expectNoAxeViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Cleanup: dev's connections are deleted from the runner (the API the Disconnect button uses). */
async function disconnectAll(page: Page) {
  const list = await page.request.get('/api/git-authentications');
  if (!list.ok()) return;
  const { authentications } = (await list.json()) as { authentications: { id: string; runnerId: string }[] };
  const csrf = await csrfTokenOf({ kind: 'browser', browser: page.context() });
  for (const a of authentications) {
    await page.request.delete(`/api/git-authentications/${a.runnerId}/${a.id}`, { headers: { 'x-csrf-token': csrf } });
  }
}

test.describe('A developer connects Bitbucket and creates an environment', () => {
  // Each journey goes through two sites, a clone and accessibility scans.
  test.describe.configure({ timeout: 120_000 });
  test.afterEach(async ({ page }) => {
    await disconnectAll(page);
  });

  test('connect in the popup, see the confirmation at once, and get the pull request cloned', async ({ page }) => {
    await configureBitbucketOnLocalRunner();
    const panel = await openNewEnvironmentAsDev(page);
    await expect(panel.getByRole('button', { name: 'Connect', exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Create environment' })).toBeDisabled();
    await expectNoAxeViolations(page);

    const popupPromise = page.waitForEvent('popup');
    await panel.getByRole('button', { name: 'Connect', exact: true }).click();
    const popup = await popupPromise;

    // A message from any window but the popup, from any origin but the runner's, is ignored.
    await page.evaluate(() => {
      window.postMessage(
        {
          type: 'runner-console:connect-result',
          flowId: 'x',
          status: 'connected',
          failureCode: null,
          message: 'Bitbucket is now connected as Mallory.',
          accountName: 'Mallory',
        },
        '*',
      );
    });
    await expect(page.getByRole('status').filter({ hasText: 'Waiting for Bitbucket' })).toBeVisible();

    await signInAtBitbucket(popup, 'alice');
    await grantIfAsked(popup, true);
    await expect(page.getByRole('status').filter({ hasText: CONNECTED_AS_ALICE })).toBeVisible();
    // Said once: the confirmation, not also the "Connected to Bitbucket as Alice" line.
    await expect(page.getByText('Connected to Bitbucket as Alice')).toHaveCount(0);
    await expect(page.getByText('Mallory')).toHaveCount(0);
    await expect.poll(() => popup.isClosed()).toBe(true);

    const id = await createEnvironmentAndWaitReady(page);
    await expect(page.getByText('Alice <alice@acme.test>')).toBeVisible();
    await expect(page.getByText('Local runner')).toBeVisible();
    await expectNoAxeViolations(page);

    // The clone on the runner's disk has the pull request's source branch checked out.
    const workspace = path.resolve(dataDir, 'runner', 'workspaces', id);
    const branch = execFileSync('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: workspace, encoding: 'utf8' }).trim();
    expect(branch).toBe('feature/login');

    // And the list shows it, live.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Environments', exact: true }).click();
    const row = page.getByRole('row', { name: /acme\/widgets/ }).first();
    await expect(row).toContainText('feature/login');
    await expect(row).toContainText('Ready');
    await expectNoAxeViolations(page);
    await expect(page.getByText('Mallory')).toHaveCount(0);
  });

  test('cancelling at Bitbucket says so and offers Connect again', async ({ page }) => {
    await configureBitbucketOnLocalRunner();
    const panel = await openNewEnvironmentAsDev(page);
    const popupPromise = page.waitForEvent('popup');
    await panel.getByRole('button', { name: 'Connect', exact: true }).click();
    const popup = await popupPromise;
    await signInAtBitbucket(popup, 'bob');
    await popup.getByRole('button', { name: 'Cancel' }).click();

    await expect(page.getByRole('alert').filter({ hasText: 'You cancelled access on Bitbucket' })).toBeVisible();
    await expect(panel.getByRole('button', { name: 'Connect again' })).toBeVisible();
    await expect(page.getByText(CONNECTED_AS_ALICE)).toHaveCount(0);
  });

  test('a blocked popup offers the same tab, which comes back to the filled-in form', async ({ page }) => {
    await page.addInitScript(() => {
      window.open = () => null;
    });
    await configureBitbucketOnLocalRunner();
    const panel = await openNewEnvironmentAsDev(page);
    await panel.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Your browser blocked the popup.' })).toBeVisible();

    await page.getByRole('button', { name: 'Continue in this tab' }).click();
    await signInAtBitbucket(page, 'alice');
    await grantIfAsked(page, false);

    await expect(page.getByRole('heading', { name: 'New environment' })).toBeVisible();
    await expect(page.getByLabel('Context URL')).toHaveValue(PR_URL);
    await expect(page.getByRole('status').filter({ hasText: CONNECTED_AS_ALICE })).toBeVisible();
    // Said once: the confirmation, not also the "Connected to Bitbucket as Alice" line.
    await expect(page.getByText('Connected to Bitbucket as Alice')).toHaveCount(0);
    await expect(page).not.toHaveURL(/connectFlow=/);
    await expect(page.getByRole('button', { name: 'Create environment' })).toBeEnabled();
  });

  test('an expired access token is refreshed on use', async ({ page }) => {
    await configureBitbucketOnLocalRunner();
    await openNewEnvironmentAsDev(page);
    await connectAsAlice(page);

    const stats = async () =>
      ((await (await page.request.get(`${urls.bitbucket}/_emulator/stats`)).json()) as { tokenCalls: { refresh_token: number } })
        .tokenCalls.refresh_token;
    const refreshesBefore = await stats();
    // Bitbucket access tokens live 2 hours: three hours later this one has expired.
    await page.request.post(`${urls.bitbucket}/_emulator/clock`, { data: { offsetSeconds: 10_800 } });
    try {
      await createEnvironmentAndWaitReady(page);
      expect(await stats()).toBeGreaterThan(refreshesBefore);
    } finally {
      await page.request.post(`${urls.bitbucket}/_emulator/clock`, { data: { offsetSeconds: 0 } });
    }
  });

  test('a revoked grant asks to connect again, with the reason', async ({ page }) => {
    await configureBitbucketOnLocalRunner();
    await openNewEnvironmentAsDev(page);
    await connectAsAlice(page);

    const revoked = await page.request.post(`${urls.bitbucket}/_emulator/grants/revoke`, { data: { username: 'alice' } });
    expect(revoked.ok()).toBe(true);
    await page.getByRole('button', { name: 'Create environment' }).click();

    const panel = page.getByRole('region', { name: 'Authorize Bitbucket' });
    await expect(panel.getByRole('button', { name: 'Connect again' })).toBeVisible();
    await expect(panel.getByText(/no longer accepts this connection/)).toBeVisible();
    // What was typed is still there, and the field says what happened.
    await expect(page.getByLabel('Context URL')).toHaveValue(PR_URL);
    await expect(page).toHaveURL(/\/environments\/new/);

    // Connecting again makes it work.
    await connectAsAlice(page, { signedInAtBitbucket: true });
    await createEnvironmentAndWaitReady(page);
  });

  test('a Connect link handed to someone else attaches nothing', async ({ page, browser }) => {
    const { runnerId } = await configureBitbucketOnLocalRunner();
    await signIn(page, 'dev');
    // dev mints a Connect start link (what the popup would open) and hands it to another person.
    const csrf = await csrfTokenOf({ kind: 'browser', browser: page.context() });
    const start = await page.request.get(
      `/api/connect/start?${new URLSearchParams({ runnerId, host: 'bitbucket.org', csrf, mode: 'popup' })}`,
      { maxRedirects: 0 },
    );
    expect(start.status()).toBe(302);
    const link = start.headers()['location']!;

    // That person has no Runner Console session; they sign in to Bitbucket as alice and approve.
    const stranger = await browser.newContext();
    try {
      const other = await stranger.newPage();
      await other.goto(link);
      await signInAtBitbucket(other, 'alice');
      await grantIfAsked(other, false);
      await expect(other.getByRole('heading', { name: 'Not connected' })).toBeVisible();
      await expect(other.getByRole('alert')).toContainText('nothing was connected');
      await expect(other.getByText('now connected')).toHaveCount(0);
    } finally {
      await stranger.close();
    }

    // dev has no connection, and the runner's audit log says what was refused.
    await page.getByRole('link', { name: 'Git authentications' }).click();
    await expect(page.getByText('No connections yet')).toBeVisible();
    const admin = await signInThroughApi('admin');
    const audit = (await (await admin.get(`/api/runners/${runnerId}/audit-log`)).json()) as { entries: { action: string; details: Record<string, unknown> }[] };
    expect(audit.entries.find((e) => e.action === 'git_authentication.refused')?.details.flowOwner).toBe('dev@acme.test');
    await admin.dispose();
  });

  test('Git authentications lists the connection, and Disconnect removes it', async ({ page }) => {
    await configureBitbucketOnLocalRunner();
    await openNewEnvironmentAsDev(page);
    await connectAsAlice(page);

    await page.getByRole('link', { name: 'Git authentications' }).click();
    await expect(page.getByRole('heading', { name: 'Git authentications' })).toBeVisible();
    const row = page.getByRole('row', { name: /Bitbucket/ });
    await expect(row).toContainText('Alice');
    await expect(row).toContainText('Local runner');
    await expect(row).toContainText('repository:write');
    await expectNoAxeViolations(page);

    await row.getByRole('button', { name: 'Disconnect Bitbucket (Alice) on Local runner' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Disconnect Bitbucket?' });
    await expect(dialog).toContainText('Bitbucket has no endpoint to revoke access');
    await expect(dialog.getByRole('link', { name: "Bitbucket's app authorizations page" })).toHaveAttribute(
      'href',
      /app-authorizations/,
    );
    await expectNoAxeViolations(page);
    await dialog.getByRole('button', { name: 'Disconnect' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText('No connections yet')).toBeVisible();

    // New environment asks to connect again.
    await page.getByRole('link', { name: 'New environment' }).click();
    await page.getByLabel('Context URL').fill(PR_URL);
    await expect(page.getByRole('region', { name: 'Authorize Bitbucket' })).toBeVisible();
  });

  test("the emulator's own URL for the pull request works, and the runner clones the pull request's branch", async ({ page }) => {
    await configureBitbucketOnLocalRunner();
    await openNewEnvironmentAsDev(page);
    await connectAsAlice(page);

    // What the emulator's pages show under `npm start`: the runner serves bitbucket.org from there.
    const emulatorPrUrl = `${urls.bitbucket}/acme/widgets/pull-requests/1`;
    const field = page.getByLabel('Context URL');
    await field.fill(emulatorPrUrl);
    await expect(page.getByText('Pull request #1 in acme/widgets')).toBeVisible();
    await expect(field).not.toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByRole('button', { name: 'Create environment' })).toBeEnabled();

    const id = await createEnvironmentAndWaitReady(page);
    const workspace = path.resolve(dataDir, 'runner', 'workspaces', id);
    const branch = execFileSync('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: workspace, encoding: 'utf8' }).trim();
    expect(branch).toBe('feature/login');
    // The clone came from the runner's own configuration, the same origin.
    const remote = execFileSync('git', ['remote', 'get-url', 'origin'], { cwd: workspace, encoding: 'utf8' }).trim();
    expect(remote).toBe(`${urls.bitbucket}/acme/widgets.git`);
  });

  test('a URL that cannot work says what is wrong with it, as an error', async ({ page }) => {
    await signIn(page, 'dev');
    await page.getByRole('link', { name: 'New environment' }).click();
    const field = page.getByLabel('Context URL');
    const create = page.getByRole('button', { name: 'Create environment' });
    const emulatorHost = new URL(urls.bitbucket).host;
    const cases: [string, RegExp][] = [
      ['acme widgets', /^That is not a link: a link has no spaces\./],
      ['localhost:1/acme/', /^That link has no scheme: start it with http:\/\/ or https:\/\//],
      [`https://bitbucket.org/acme/widgets/src/${'a'.repeat(5000)}`, /characters long; the limit is 2,048\./],
      ['https://github.com/acme/widgets', /^No integration serves github\.com: links on bitbucket\.org and http:\/\/localhost:\d+ work\./],
      [`${urls.bitbucket}/acme/`, /^That Bitbucket link names a workspace but no repository\./],
    ];
    for (const [url, message] of cases) {
      await field.fill(url);
      await expect(field).toHaveAttribute('aria-invalid', 'true');
      await expect(field).toHaveAccessibleDescription(message);
      await expect(create).toBeDisabled();
    }
    // No scheme, but the host and port are the runner's own Bitbucket: read as a link there.
    await field.fill(`${emulatorHost}/acme/widgets`);
    await expect(page.getByText('Repository acme/widgets (its default branch)')).toBeVisible();
    await expect(field).not.toHaveAttribute('aria-invalid', 'true');
  });

  test('after Disconnect, Git authentications offers Connect for the runner, and it connects; an admin revokes it in Runner › Connections', async ({ page }, testInfo) => {
    await configureBitbucketOnLocalRunner();
    await openNewEnvironmentAsDev(page);
    await connectAsAlice(page);
    await page.getByRole('link', { name: 'Git authentications' }).click();
    const row = page.getByRole('row', { name: /Bitbucket/ });
    await row.getByRole('button', { name: 'Disconnect Bitbucket (Alice) on Local runner' }).click();
    await page.getByRole('alertdialog', { name: 'Disconnect Bitbucket?' }).getByRole('button', { name: 'Disconnect' }).click();

    await expect(page.getByText('No connections yet')).toBeVisible();
    await expect(page.getByText(/first time you create an environment/)).toHaveCount(0);
    await expect(page.getByText('Connect your account on a runner below, or when you create an environment')).toBeVisible();
    const connect = page.getByRole('button', { name: 'Connect Bitbucket on Local runner' });
    await expect(connect).toBeVisible();
    await expectNoAxeViolations(page);

    const popupPromise = page.waitForEvent('popup');
    await connect.click();
    const popup = await popupPromise;
    await grantIfAsked(popup, true);
    await expect(page.getByText(CONNECTED_AS_ALICE).first()).toBeVisible();
    await expect(page.getByRole('row', { name: /Bitbucket/ })).toContainText('Alice');
    await expect(connect).toHaveCount(0);

    // An admin sees that connection in Runner › Connections and revokes it: the developer's is gone.
    await page.getByRole('button', { name: 'Sign out' }).click();

    await signIn(page, 'admin');
    await page.getByRole('link', { name: 'Local runner' }).first().click();
    const section = page.getByRole('region', { name: 'Connections', exact: true });
    const connectionRow = section.getByRole('row', { name: /Dev Developer/ });
    await expect(connectionRow).toContainText('dev@acme.test');
    await expect(connectionRow).toContainText('Bitbucket');
    await expect(connectionRow).toContainText('OAuth');
    await expect(connectionRow).toContainText('repository:write');
    await section.scrollIntoViewIfNeeded();
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await section.screenshot({ path: testInfo.outputPath(`runner-connections-${width}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    await connectionRow.getByRole('button', { name: 'Revoke Dev Developer’s Bitbucket connection (Alice)' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Revoke Dev Developer’s Bitbucket connection?' });
    await expect(dialog).toContainText('Local runner erases the token of Alice (dev@acme.test)');
    await expectNoAxeViolations(page);
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: 'Connection revoked' })).toContainText('Bitbucket has no way to revoke it from here');
    // Other specs' connections may share the runner: this one is what must be gone.
    await expect(connectionRow).toHaveCount(0);
    await expect(page.getByText(/revoked dev@acme\.test’s Bitbucket \(Alice\) connection/)).toBeVisible();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, 'dev');
    await page.getByRole('link', { name: 'Git authentications' }).click();
    await expect(page.getByText('No connections yet')).toBeVisible();
    await expect(page.getByRole('note').filter({ hasText: 'An admin revoked your Bitbucket connection on Local runner' })).toContainText('The runner erased your Bitbucket token.');
  });
});
