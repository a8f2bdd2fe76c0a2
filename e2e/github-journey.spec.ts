import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { expect, test, dataDir, signIn, urls } from './fixtures.ts';

// GitHub's journey (issue 23): an admin adds GitHub to Local runner through the modal with an
// OAuth App made from the callback URL it shows (the GitHub emulator's test API stands for
// GitHub's New OAuth App form); a developer starts from a pull request, connects in the popup,
// gets an environment on its branch and pushes with plain git. Then the same with a GitHub App,
// and with a fine-grained personal access token instead of Connect.

const run = promisify(execFile);
const PR_URL = 'https://github.com/acme/widgets/pull/1';

async function githubTestApi(pathName: string, body: unknown): Promise<Record<string, string>> {
  const response = await fetch(`${urls.github}/_emulator/${pathName}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (await response.json()) as Record<string, string>;
}

async function csrfHeaders(page: Page): Promise<Record<string, string>> {
  const csrf = (await page.context().cookies()).find((cookie) => cookie.name === 'rc_csrf' || cookie.name === '__Host-rc_csrf');
  return { 'x-csrf-token': decodeURIComponent(csrf!.value) };
}

/** As admin: Local runner without integrations, then GitHub added through the modal with the app it guides to. */
async function adminAddsGitHub(page: Page, kind: 'OAuth App' | 'GitHub App', { tokens = false } = {}): Promise<void> {
  await signIn(page, 'admin');
  const { runners } = (await (await page.request.get('/api/runners')).json()) as { runners: { id: string; name: string }[] };
  const runnerId = runners.find((runner) => runner.name === 'Local runner')!.id;
  const { integrations } = (await (await page.request.get(`/api/runners/${runnerId}/integrations`)).json()) as { integrations: { id: string }[] };
  for (const { id } of integrations) await page.request.delete(`/api/runners/${runnerId}/integrations/${id}`, { headers: await csrfHeaders(page) });

  await page.goto('/settings/runners');
  await page.getByRole('link', { name: 'Local runner' }).click();
  await page.getByRole('button', { name: 'Add a new provider' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a new provider' });
  await dialog.getByRole('radio', { name: /GitHub/ }).first().check();
  await expect(dialog.getByRole('textbox', { name: 'Host' })).toHaveValue('github.com');
  await dialog.getByRole('switch', { name: 'Enable OAuth' }).click();
  const help = dialog.getByRole('complementary', { name: 'Step-by-step help' });
  await help.getByRole('radio', { name: new RegExp(kind) }).check();
  const callbackUrl = await dialog.getByRole('textbox', { name: 'Callback URL' }).inputValue();
  expect(callbackUrl).toBe(`${urls.runner}/oauth/callback`);

  let app: Record<string, string>;
  if (kind === 'OAuth App') {
    await expect(help.getByText('user:email', { exact: true })).toBeVisible();
    app = await githubTestApi('oauth-apps', { owner: 'acme', name: 'Runner Console', callbackUrl });
  } else {
    await expect(help.getByText('Repository › Contents')).toBeVisible();
    const name = `Runner Console ${Date.now()}`;
    app = await githubTestApi('github-apps', { owner: 'acme', name, callbackUrl });
    await help.getByRole('textbox', { name: /install link/ }).fill(name);
    await expect(help.getByRole('textbox', { name: 'Install link', exact: true })).toHaveValue(`https://github.com/apps/${app.slug}/installations/new`);
    await githubTestApi(`github-apps/${app.slug}/installations`, { account: 'acme', repositories: ['acme/widgets'] });
  }
  await dialog.getByLabel('Client ID').fill(app.clientId!);
  await dialog.getByLabel('Client Secret').fill(app.clientSecret!);
  if (tokens) await dialog.getByRole('switch', { name: 'Enable personal access tokens' }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden({ timeout: 20_000 });
  await expect(page.getByRole('region', { name: /Notifications/ }).getByText('GitHub accepted the Client ID and Client secret.')).toBeVisible();
}

/**
 * As dev, from the pull request: Connect in the popup (or a fine-grained personal access token
 * instead), then an environment on its branch.
 */
async function developerConnectsAndCreates(page: Page, { withToken = false } = {}): Promise<string> {
  await page.context().clearCookies();
  await signIn(page, 'dev');
  await page.getByRole('link', { name: 'New environment' }).click();
  await page.getByLabel('Context URL').fill(PR_URL);
  await expect(page.getByText('Pull request #1 in acme/widgets')).toBeVisible();
  const panel = page.getByRole('region', { name: 'Authorize GitHub' });
  if (withToken) {
    await panel.getByRole('button', { name: 'Use a personal access token instead' }).click();
    // GitHub says whose the token is and when it expires: the form asks for the token only.
    await expect(panel.getByRole('textbox', { name: 'Personal access token', exact: true })).toBeFocused();
    await expect(panel.getByRole('textbox', { name: /e-mail/ })).toHaveCount(0);
    await expect(panel.getByLabel('Expiry date')).toHaveCount(0);
    const expiresOn = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const { token } = await githubTestApi('personal-access-tokens', {
      username: 'alice',
      type: 'fine-grained',
      repositories: ['acme/widgets'],
      permissions: { contents: 'write', pull_requests: 'read', email_addresses: 'read' },
      expiresAt: expiresOn,
    });
    await panel.getByRole('textbox', { name: 'Personal access token', exact: true }).fill(token!);
    await panel.getByRole('button', { name: 'Connect with token' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'GitHub is now connected as Alice (personal access token, expires' })).toBeVisible({ timeout: 20_000 });
  } else {
    const popupPromise = page.waitForEvent('popup');
    await panel.getByRole('button', { name: 'Connect', exact: true }).click();
    const popup = await popupPromise;
    await popup.getByLabel('Username or email address').fill('alice');
    await popup.getByLabel('Password').fill('alice');
    await popup.getByRole('button', { name: 'Sign in' }).click();
    await popup.getByRole('button', { name: 'Authorize acme' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'GitHub is now connected as Alice' })).toBeVisible();
  }
  await page.getByRole('button', { name: 'Create environment' }).click();
  await expect(page).toHaveURL(/\/environments\/[^/]+$/, { timeout: 30_000 });
  await expect(page.getByText('Ready', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('feature/login', { exact: true })).toBeVisible();
  await expect(page.getByText('Alice <alice@acme.test>')).toBeVisible();
  return decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
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

async function headOfFeatureLogin(): Promise<string> {
  const token = (await githubTestApi('personal-access-tokens', { username: 'alice', type: 'classic', scopes: ['repo'] })).token;
  const response = await fetch(`${urls.github}/api/v3/repos/acme/widgets/branches/feature/login`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { commit: { sha: string } }).commit.sha;
}

test.describe('GitHub: an admin adds it, a developer connects and pushes', () => {
  test.describe.configure({ timeout: 120_000 });

  test('with an OAuth App: from pull request 1 to a push on feature/login', async ({ page }) => {
    await adminAddsGitHub(page, 'OAuth App');
    const id = await developerConnectsAndCreates(page);
    const workspace = path.resolve(dataDir, 'runner', 'workspaces', id);
    const remote = (await run('git', ['remote', 'get-url', 'origin'], { cwd: workspace })).stdout.trim();
    expect(remote).toBe(`${urls.github}/acme/widgets.git`);
    expect(await pushFrom(workspace, 'from-github-environment.txt')).toBe(await headOfFeatureLogin());
  });

  test('with a GitHub App installed on acme/widgets: the same, with its 8-hour user token', async ({ page }) => {
    await adminAddsGitHub(page, 'GitHub App');
    const id = await developerConnectsAndCreates(page);
    const workspace = path.resolve(dataDir, 'runner', 'workspaces', id);
    expect(await pushFrom(workspace, 'from-github-app-environment.txt')).toBe(await headOfFeatureLogin());
  });

  test('with a fine-grained personal access token instead of Connect', async ({ page }) => {
    await adminAddsGitHub(page, 'OAuth App', { tokens: true });
    const id = await developerConnectsAndCreates(page, { withToken: true });
    const workspace = path.resolve(dataDir, 'runner', 'workspaces', id);
    expect(await pushFrom(workspace, 'from-github-token-environment.txt')).toBe(await headOfFeatureLogin());
  });
});
