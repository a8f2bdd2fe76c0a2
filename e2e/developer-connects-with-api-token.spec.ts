import AxeBuilder from '@axe-core/playwright';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page, Request } from '@playwright/test';
import { configureBitbucketOnLocalRunner, csrfTokenOf, signInThroughApi } from './configure-bitbucket.ts';
import { expect, test, dataDir, signIn, urls } from './fixtures.ts';

const PR_URL = 'https://bitbucket.org/acme/widgets/pull-requests/1';
const SCOPES = ['read:user:bitbucket', 'read:repository:bitbucket', 'write:repository:bitbucket', 'read:pullrequest:bitbucket'];

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? listFiles(full) : Promise.resolve(entry.isFile() ? [full] : []);
    }),
  );
  return nested.flat();
}

/** What the browser sent: URL, headers and body of every request. */
async function describeRequest(request: Request): Promise<string> {
  return [request.url(), JSON.stringify(await request.allHeaders()), request.postData() ?? ''].join('\n');
}

/** As an admin, in the provider modal: turn on "Enable personal access tokens" for Bitbucket. */
async function enableTokensInTheModal(page: Page) {
  await signIn(page, 'admin');
  await page.goto('/settings/runners');
  await page.getByRole('link', { name: 'Local runner' }).click();
  await page.getByRole('button', { name: 'Edit Bitbucket (bitbucket.org)' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Bitbucket integration' });
  const tokens = edit.getByRole('switch', { name: 'Enable personal access tokens' });
  await expect(tokens).not.toBeChecked();
  await tokens.click();
  await expect(tokens).toBeChecked();
  for (const scope of SCOPES) await expect(edit.getByText(scope, { exact: true })).toBeVisible();
  await expect(edit.getByRole('link', { name: /Atlassian’s API token page/ })).toHaveAttribute('href', 'https://id.atlassian.com/manage-profile/security/api-tokens');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
}

/** As alice on the emulator's API tokens page: create a token with the scopes the form lists. */
async function createApiTokenInTheEmulator(page: Page, createUrl: string, scopes: readonly string[]): Promise<string> {
  await page.goto(createUrl);
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('alice');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'API tokens' })).toBeVisible();
  await page.getByLabel('Name').fill('Runner Console');
  await page.getByLabel('Expiry date').fill(new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10));
  for (const scope of scopes) await page.getByLabel(scope).check();
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = await page.getByLabel('API token').inputValue();
  expect(token).toMatch(/^ATATT3x/);
  return token;
}

test.describe('A developer connects Bitbucket with an API token', () => {
  test.describe.configure({ timeout: 120_000 });

  test('admin enables tokens; a developer without OAuth creates one, enters it, and gets PR #1 cloned', async ({ browser }) => {
    await configureBitbucketOnLocalRunner();

    const adminContext = await browser.newContext();
    await enableTokensInTheModal(await adminContext.newPage());
    await adminContext.close();

    const devContext = await browser.newContext();
    const sent: Promise<string>[] = [];
    devContext.on('request', (request) => sent.push(describeRequest(request)));
    const page = await devContext.newPage();
    try {
      await signIn(page, 'dev');
      await page.getByRole('link', { name: 'New environment' }).click();
      await page.getByLabel('Context URL').fill(PR_URL);
      const panel = page.getByRole('region', { name: 'Authorize Bitbucket' });
      await expect(panel.getByRole('button', { name: 'Connect', exact: true })).toBeVisible();
      await panel.getByRole('button', { name: 'Use an API token instead' }).click();
      await expect(panel.getByLabel('Atlassian account e-mail')).toBeFocused();
      for (const scope of SCOPES) await expect(panel.getByText(scope, { exact: true })).toBeVisible();
      await expect(panel.getByText(/at most 365 days/)).toBeVisible();
      const { violations } = await new AxeBuilder({ page }).analyze();
      expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      // At phone width the token form fits without sideways scrolling.
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.setViewportSize({ width: 1280, height: 720 });
      const createLink = panel.getByRole('link', { name: /Create an API token/ });
      const createUrl = (await createLink.getAttribute('href')) ?? '';
      expect(createUrl).toBe(`${urls.bitbucket}/account/settings/api-tokens/`);

      const emulatorPage = await devContext.newPage();
      const token = await createApiTokenInTheEmulator(emulatorPage, createUrl, SCOPES);
      await emulatorPage.close();

      await panel.getByLabel('Atlassian account e-mail').fill('alice@acme.test');
      // Pasted with a line break in the middle and spaces around: the form trims them.
      await panel.getByLabel('API token', { exact: true }).fill(` ${token.slice(0, 80)}\n${token.slice(80)} `);
      await panel.getByLabel('Expiry date').fill(new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10));
      await panel.getByRole('button', { name: 'Connect with token' }).click();

      await expect(page.getByRole('status').filter({ hasText: 'Bitbucket is now connected as Alice (API token' })).toBeVisible({ timeout: 20_000 });
      await expect(page.getByRole('status').filter({ hasText: /Bitbucket is now connected as Alice \(API token, expires / })).toBeVisible();
      // Said once: the confirmation, not also the "Connected to Bitbucket as Alice" line.
      await expect(page.getByText(/Connected to Bitbucket as Alice/)).toHaveCount(0);

      await page.getByRole('button', { name: 'Create environment' }).click();
      await expect(page).toHaveURL(/\/environments\/[^/]+$/, { timeout: 30_000 });
      await expect(page.getByText('Ready', { exact: true })).toBeVisible({ timeout: 30_000 });
      await expect(page.getByText('feature/login', { exact: true })).toBeVisible();

      await page.goto('/settings/git-authentications');
      const row = page.getByRole('row', { name: /Alice/ });
      await expect(row.getByRole('cell', { name: 'API token', exact: true })).toBeVisible();
      await expect(row.getByText(/^Expires /)).toBeVisible();

      // Nothing the browser sent, and nothing under the data folder, holds the token in plaintext.
      const requests = await Promise.all(sent);
      expect(requests.length).toBeGreaterThan(10);
      expect(requests.filter((r) => r.includes(token))).toEqual([]);
      const files = await listFiles(path.resolve(dataDir));
      const holding: string[] = [];
      for (const file of files) if ((await readFile(file, 'latin1')).includes(token)) holding.push(file);
      expect(holding).toEqual([]);

      // The admin turns tokens off: the warning counts the connections, and exactly those go.
      const adminPage = await (await browser.newContext()).newPage();
      await signIn(adminPage, 'admin');
      await adminPage.goto('/settings/runners');
      await adminPage.getByRole('link', { name: 'Local runner' }).click();
      await adminPage.getByRole('button', { name: 'Edit Bitbucket (bitbucket.org)' }).click();
      const edit = adminPage.getByRole('dialog', { name: 'Edit Bitbucket integration' });
      await edit.getByRole('switch', { name: 'Enable personal access tokens' }).click();
      await expect(edit.getByText('1 developer has connected with a token.', { exact: false })).toBeVisible();
      await edit.getByRole('button', { name: 'Turn off tokens and save' }).click();
      await expect(edit).toBeHidden();
      await adminPage.context().close();
      await page.reload();
      await expect(page.getByText('No connections yet')).toBeVisible();
    } finally {
      // Cleanup: dev's connections are deleted from the runner.
      const list = await page.request.get('/api/git-authentications');
      const csrf = await csrfTokenOf({ kind: 'browser', browser: devContext });
      for (const a of ((await list.json()) as { authentications: { id: string; runnerId: string }[] }).authentications) {
        await page.request.delete(`/api/git-authentications/${a.runnerId}/${a.id}`, { headers: { 'x-csrf-token': csrf } });
      }
      await devContext.close();
    }
  });

  test('a token near its expiry is flagged; a revoked one sends the developer back to the form with the reason', async ({ page }) => {
    const { runnerId } = await configureBitbucketOnLocalRunner();
    const admin = await signInThroughApi('admin');
    const integrations = (await (await admin.get(`/api/runners/${runnerId}/integrations`)).json()) as { integrations: { id: string }[] };
    const turnedOn = await admin.patch(`/api/runners/${runnerId}/integrations/${integrations.integrations[0]!.id}`, {
      headers: { 'x-csrf-token': await csrfTokenOf({ kind: 'api', api: admin }) },
      data: { patEnabled: true },
    });
    expect(turnedOn.ok(), await turnedOn.text()).toBe(true);
    await admin.dispose();

    const inTenDays = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const created = await page.request.post(`${urls.bitbucket}/_emulator/api-tokens`, { data: { username: 'alice', scopes: SCOPES, expiresAt: inTenDays } });
    const { token, email } = (await created.json()) as { token: string; email: string };

    try {
      await signIn(page, 'dev');
      await page.goto(`/environments/new?${new URLSearchParams({ contextUrl: PR_URL })}`);
      const panel = page.getByRole('region', { name: 'Authorize Bitbucket' });
      await panel.getByRole('button', { name: 'Use an API token instead' }).click();
      await panel.getByLabel('Atlassian account e-mail').fill(email);
      await panel.getByLabel('API token', { exact: true }).fill(token);
      await panel.getByLabel('Expiry date').fill(inTenDays);
      await panel.getByLabel('Expiry date').press('Enter');
      await expect(page.getByRole('status').filter({ hasText: 'Bitbucket is now connected as Alice (API token' })).toBeVisible({ timeout: 20_000 });
      await expect(page.getByText('Expires soon: create a new token')).toBeVisible();

      await page.goto('/settings/git-authentications');
      await expect(page.getByRole('row', { name: /Alice/ }).getByText('Expires soon', { exact: true })).toBeVisible();

      await page.request.post(`${urls.bitbucket}/_emulator/api-tokens/revoke`, { data: { token } });
      await page.goto(`/environments/new?${new URLSearchParams({ contextUrl: PR_URL })}`);
      await expect(page.getByText(/Connected to Bitbucket as Alice/)).toBeVisible();
      await page.getByRole('button', { name: 'Create environment' }).click();
      const again = page.getByRole('region', { name: 'Authorize Bitbucket' });
      await expect(again.getByText('Your Bitbucket API token must be entered again.')).toBeVisible({ timeout: 20_000 });
      await expect(again.getByText(/revoked or has expired/)).toBeVisible();
      await expect(again.getByLabel('Atlassian account e-mail')).toBeVisible();
    } finally {
      const list = await page.request.get('/api/git-authentications');
      if (list.ok()) {
        const csrf = await csrfTokenOf({ kind: 'browser', browser: page.context() });
        for (const a of ((await list.json()) as { authentications: { id: string; runnerId: string }[] }).authentications) {
          await page.request.delete(`/api/git-authentications/${a.runnerId}/${a.id}`, { headers: { 'x-csrf-token': csrf } });
        }
      }
    }
  });
});
