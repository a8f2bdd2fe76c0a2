import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { expect, test, dataDir, signIn, urls } from './fixtures.ts';

// Bitbucket Data Center's journey (issue 26): an admin adds Bitbucket Data Center for
// bitbucket.acme.test (the host the emulator stands for under `npm start`) through the modal, with
// an incoming application link made from the callback URL it shows; a developer starts from pull
// request 1's overview, connects in the popup, gets an environment on feature/login and pushes with
// plain git; then connects again with an HTTP access token instead.

const run = promisify(execFile);
const HOST = 'bitbucket.acme.test';
const PR_URL = `https://${HOST}/projects/ACME/repos/widgets/pull-requests/1/overview`;

async function dcTestApi(pathName: string, body: unknown): Promise<Record<string, string>> {
  const response = await fetch(`${urls.bitbucketDc}/_emulator/${pathName}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (await response.json()) as Record<string, string>;
}

async function csrfHeaders(page: Page): Promise<Record<string, string>> {
  const csrf = (await page.context().cookies()).find((cookie) => cookie.name === 'rc_csrf' || cookie.name === '__Host-rc_csrf');
  return { 'x-csrf-token': decodeURIComponent(csrf!.value) };
}

async function localRunnerIntegrations(page: Page): Promise<{ runnerId: string; ids: string[] }> {
  const { runners } = (await (await page.request.get('/api/runners')).json()) as { runners: { id: string; name: string }[] };
  const runnerId = runners.find((runner) => runner.name === 'Local runner')!.id;
  const { integrations } = (await (await page.request.get(`/api/runners/${runnerId}/integrations`)).json()) as { integrations: { id: string }[] };
  return { runnerId, ids: integrations.map((integration) => integration.id) };
}

async function headOfFeatureLogin(): Promise<string> {
  const { token } = await dcTestApi('access-tokens', { username: 'alice', permissions: ['REPO_READ'], expiryDays: 1 });
  const response = await fetch(`${urls.bitbucketDc}/rest/api/1.0/projects/ACME/repos/widgets/branches?filterText=feature/login`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { values: { displayId: string; latestCommit: string }[] }).values.find((branch) => branch.displayId === 'feature/login')!.latestCommit;
}

/** A commit and a plain `git push` in the workspace, with the developer's own empty git config. */
async function pushFrom(workspace: string, file: string): Promise<string> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-e2e-home-'));
  const env = { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };
  try {
    fs.writeFileSync(path.join(workspace, file), `${file}\n`);
    await run('git', ['add', file], { cwd: workspace, env });
    await run('git', ['commit', '--quiet', '-m', `Add ${file}`], { cwd: workspace, env });
    await run('git', ['push'], { cwd: workspace, env });
    return (await run('git', ['rev-parse', 'HEAD'], { cwd: workspace, env })).stdout.trim();
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** As dev: New environment from the pull request, an environment on its branch; answers its id. */
async function createEnvironment(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Create environment' }).click();
  await expect(page).toHaveURL(/\/environments\/[^/]+$/, { timeout: 30_000 });
  await expect(page.getByText('Ready', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('feature/login', { exact: true })).toBeVisible();
  await expect(page.getByText('Alice <alice@acme.test>')).toBeVisible();
  return decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
}

async function openFromPullRequest(page: Page) {
  await page.context().clearCookies();
  await signIn(page, 'dev');
  await page.getByRole('link', { name: 'New environment' }).click();
  await page.getByLabel('Context URL').fill(PR_URL);
  await expect(page.getByText('Pull request #1 in ACME/widgets')).toBeVisible();
  return page.getByRole('region', { name: 'Authorize Bitbucket Data Center' });
}

test.describe('Bitbucket Data Center: an admin adds it, a developer connects and pushes', () => {
  test.describe.configure({ timeout: 90_000 });

  test.afterEach(async ({ page }) => {
    // Leave Local runner as the other journeys expect it: no Data Center integration, no connection.
    await page.context().clearCookies();
    await signIn(page, 'dev');
    const list = (await (await page.request.get('/api/git-authentications')).json()) as { authentications: { id: string; runnerId: string }[] };
    for (const a of list.authentications) await page.request.delete(`/api/git-authentications/${a.runnerId}/${a.id}`, { headers: await csrfHeaders(page) });
    await page.context().clearCookies();
    await signIn(page, 'admin');
    const { runnerId, ids } = await localRunnerIntegrations(page);
    for (const id of ids) await page.request.delete(`/api/runners/${runnerId}/integrations/${id}`, { headers: await csrfHeaders(page) });
  });

  test('from pull request 1 to a push on feature/login, then a token connect', async ({ page }) => {
    await test.step('the admin adds Bitbucket Data Center for bitbucket.acme.test', async () => {
      await signIn(page, 'admin');
      const { runnerId, ids } = await localRunnerIntegrations(page);
      for (const id of ids) await page.request.delete(`/api/runners/${runnerId}/integrations/${id}`, { headers: await csrfHeaders(page) });
      await page.goto('/settings/runners');
      await page.getByRole('link', { name: 'Local runner' }).click();
      await page.getByRole('button', { name: 'Add a new provider' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add a new provider' });
      await dialog.getByRole('radio', { name: 'Bitbucket Data Center', exact: true }).check();
      const host = dialog.getByRole('textbox', { name: 'Host' });
      await expect(host).toHaveValue('');
      // Bitbucket Cloud typed as the host is answered with the right choice.
      await host.fill('https://bitbucket.org/acme/widgets');
      await host.blur();
      await expect(dialog.getByText('That is Bitbucket Cloud, not a Data Center server: choose Bitbucket in the provider list instead.')).toBeVisible();
      await host.fill(HOST);
      await dialog.getByRole('switch', { name: 'Enable OAuth' }).click();
      const help = dialog.getByRole('complementary', { name: 'Step-by-step help' });
      await expect(help.getByText(/Administration › Application links/)).toBeVisible();
      await expect(help.getByRole('link', { name: /Register a new Incoming application link on bitbucket\.acme\.test/ })).toBeVisible();
      const callbackUrl = await dialog.getByRole('textbox', { name: 'Callback URL' }).inputValue();
      expect(callbackUrl).toBe(`${urls.runner}/oauth/callback`);
      // The emulator's test API stands for Create link › External application › Incoming.
      const link = await dcTestApi('application-links', { name: 'Runner Console', redirectUrl: callbackUrl, scopes: ['REPO_READ', 'REPO_WRITE'] });
      await dialog.getByLabel('Client ID').fill(link.clientId!);
      await dialog.getByLabel('Client Secret').fill(link.clientSecret!);
      await dialog.getByRole('switch', { name: 'Enable personal access tokens' }).click();
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect(dialog).toBeHidden({ timeout: 20_000 });
      await expect(page.getByRole('region', { name: /Notifications/ }).getByText('Bitbucket Data Center accepted the Client ID and Client secret.')).toBeVisible();
    });

    await test.step('a developer connects in the popup from the pull request and pushes from the environment', async () => {
      const panel = await openFromPullRequest(page);
      const popupPromise = page.waitForEvent('popup');
      await panel.getByRole('button', { name: 'Connect', exact: true }).click();
      const popup = await popupPromise;
      await popup.getByLabel('Username or email address').fill('alice');
      await popup.getByLabel('Password').fill('alice');
      await popup.getByRole('button', { name: 'Sign in' }).click();
      await popup.getByRole('button', { name: 'Allow' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'Bitbucket Data Center is now connected as Alice' })).toBeVisible();
      const id = await createEnvironment(page);
      const workspace = path.resolve(dataDir, 'runner', 'workspaces', id);
      const remote = (await run('git', ['remote', 'get-url', 'origin'], { cwd: workspace })).stdout.trim();
      expect(remote).toBe(`${urls.bitbucketDc}/scm/acme/widgets.git`);
      expect(await pushFrom(workspace, 'from-data-center-environment.txt')).toBe(await headOfFeatureLogin());
    });

    await test.step('then with an HTTP access token instead of Connect', async () => {
      const list = (await (await page.request.get('/api/git-authentications')).json()) as { authentications: { id: string; runnerId: string }[] };
      for (const a of list.authentications) await page.request.delete(`/api/git-authentications/${a.runnerId}/${a.id}`, { headers: await csrfHeaders(page) });
      const panel = await openFromPullRequest(page);
      await panel.getByRole('button', { name: 'Use an HTTP access token instead' }).click();
      // Data Center does not say when a token expires: the form asks for the date, and no e-mail.
      await expect(panel.getByRole('textbox', { name: /e-mail/ })).toHaveCount(0);
      const expiresOn = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      const { token } = await dcTestApi('access-tokens', { username: 'alice', permissions: ['PROJECT_READ', 'REPO_WRITE'], expiryDays: 30 });
      await panel.getByRole('textbox', { name: 'HTTP access token', exact: true }).fill(token!);
      await panel.getByLabel('Expiry date').fill(expiresOn);
      await panel.getByRole('button', { name: 'Connect with token' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'Bitbucket Data Center is now connected as Alice (HTTP access token, expires' })).toBeVisible({ timeout: 20_000 });
      const id = await createEnvironment(page);
      const workspace = path.resolve(dataDir, 'runner', 'workspaces', id);
      expect(await pushFrom(workspace, 'from-data-center-token-environment.txt')).toBe(await headOfFeatureLogin());
    });
  });
});
