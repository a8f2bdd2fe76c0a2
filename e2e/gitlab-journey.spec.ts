import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { expect, test, dataDir, signIn, urls } from './fixtures.ts';

// GitLab's journey (issue 24): an admin adds GitLab to Local runner through the modal, with an
// application made from the callback URL it shows (the GitLab emulator's test API stands for
// GitLab's Add new application form); a developer starts from merge request !1, connects in the
// popup, gets an environment on its branch and pushes with plain git; then disconnects (GitLab
// revokes the token) and connects again with a personal access token, from the subgroup
// project's merge request.

const run = promisify(execFile);
const MR_URL = 'https://gitlab.com/acme/widgets/-/merge_requests/1';
const SUBGROUP_MR_URL = 'https://gitlab.com/acme/platform/tools/-/merge_requests/1';

async function gitlabTestApi(pathName: string, body: unknown): Promise<Record<string, string>> {
  const response = await fetch(`${urls.gitlab}/_emulator/${pathName}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (await response.json()) as Record<string, string>;
}

async function csrfHeaders(page: Page): Promise<Record<string, string>> {
  const csrf = (await page.context().cookies()).find((cookie) => cookie.name === 'rc_csrf' || cookie.name === '__Host-rc_csrf');
  return { 'x-csrf-token': decodeURIComponent(csrf!.value) };
}

/** As admin: Local runner without integrations, then GitLab added through the modal, OAuth and personal access tokens on. */
async function adminAddsGitLab(page: Page): Promise<void> {
  await signIn(page, 'admin');
  const { runners } = (await (await page.request.get('/api/runners')).json()) as { runners: { id: string; name: string }[] };
  const runnerId = runners.find((runner) => runner.name === 'Local runner')!.id;
  const { integrations } = (await (await page.request.get(`/api/runners/${runnerId}/integrations`)).json()) as { integrations: { id: string }[] };
  for (const { id } of integrations) await page.request.delete(`/api/runners/${runnerId}/integrations/${id}`, { headers: await csrfHeaders(page) });

  await page.goto('/settings/runners');
  await page.getByRole('link', { name: 'Local runner' }).click();
  await page.getByRole('button', { name: 'Add a new provider' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a new provider' });
  await dialog.getByRole('radio', { name: 'GitLab', exact: true }).check();
  await expect(dialog.getByRole('textbox', { name: 'Host' })).toHaveValue('gitlab.com');
  await dialog.getByRole('switch', { name: 'Enable OAuth' }).click();
  const help = dialog.getByRole('complementary', { name: 'Step-by-step help' });
  // The steps name GitLab's form: the Confidential checkbox and the scopes to tick, with why.
  await expect(help.getByText(/Keep Confidential ticked/)).toBeVisible();
  for (const scope of ['read_user', 'read_api', 'read_repository', 'write_repository']) await expect(help.getByText(scope, { exact: true })).toBeVisible();
  await expect(dialog.getByText('Application ID', { exact: true })).toBeVisible();
  const callbackUrl = await dialog.getByRole('textbox', { name: 'Callback URL' }).inputValue();
  expect(callbackUrl).toBe(`${urls.runner}/oauth/callback`);

  const app = await gitlabTestApi('applications', { name: 'Runner Console', redirectUri: callbackUrl, scopes: ['read_user', 'read_api', 'read_repository', 'write_repository'], confidential: true });
  await dialog.getByLabel('Client ID').fill(app.applicationId!);
  await dialog.getByLabel('Client Secret').fill(app.secret!);
  await dialog.getByRole('switch', { name: 'Enable personal access tokens' }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden({ timeout: 20_000 });
  await expect(page.getByRole('region', { name: /Notifications/ }).getByText('GitLab accepted the Application ID and Secret.')).toBeVisible();
}

/** Waits for the environment page to say Ready on `branch`, and answers the environment's id. */
async function createEnvironment(page: Page, branch: string): Promise<string> {
  await page.getByRole('button', { name: 'Create environment' }).click();
  await expect(page).toHaveURL(/\/environments\/[^/]+$/, { timeout: 30_000 });
  await expect(page.getByText('Ready', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(branch, { exact: true })).toBeVisible();
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

async function headOf(projectPath: string, branch: string): Promise<string> {
  const { token } = await gitlabTestApi('personal-access-tokens', { username: 'alice', scopes: ['read_api'] });
  const response = await fetch(`${urls.gitlab}/api/v4/projects/${encodeURIComponent(projectPath)}/repository/branches/${encodeURIComponent(branch)}`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { commit: { id: string } }).commit.id;
}

test.describe('GitLab: an admin adds it, a developer connects, pushes, and connects again with a token', () => {
  test.describe.configure({ timeout: 90_000 });

  test('from merge request !1 to a push on feature/login; then a personal access token and the subgroup project', async ({ page }) => {
    await adminAddsGitLab(page);

    await test.step('the developer connects from the merge request, gets feature/login and pushes', async () => {
      await page.context().clearCookies();
      await signIn(page, 'dev');
      await page.getByRole('link', { name: 'New environment' }).click();
      await page.getByLabel('Context URL').fill(MR_URL);
      await expect(page.getByText('Merge request !1 in acme/widgets')).toBeVisible();
      const panel = page.getByRole('region', { name: 'Authorize GitLab' });
      const popupPromise = page.waitForEvent('popup');
      await panel.getByRole('button', { name: 'Connect', exact: true }).click();
      const popup = await popupPromise;
      await expect(popup.getByRole('heading', { name: 'Sign in to GitLab' })).toBeVisible();
      await popup.getByLabel('Username or email address').fill('alice');
      await popup.getByLabel('Password').fill('alice');
      await popup.getByRole('button', { name: 'Sign in' }).click();
      await expect(popup.getByText('read_repository', { exact: true })).toBeVisible();
      await popup.getByRole('button', { name: 'Authorize', exact: true }).click();
      await expect(page.getByRole('status').filter({ hasText: 'GitLab is now connected as Alice' })).toBeVisible();
      const id = await createEnvironment(page, 'feature/login');
      await expect(page.getByText('Merge request', { exact: true })).toBeVisible();
      await expect(page.getByText('!1 Add login form')).toBeVisible();
      const workspace = path.resolve(dataDir, 'runner', 'workspaces', id);
      expect((await run('git', ['remote', 'get-url', 'origin'], { cwd: workspace })).stdout.trim()).toBe(`${urls.gitlab}/acme/widgets.git`);
      expect(await pushFrom(workspace, 'from-gitlab-environment.txt')).toBe(await headOf('acme/widgets', 'feature/login'));
    });

    await test.step('Disconnect revokes the token on GitLab', async () => {
      const before = (await (await fetch(`${urls.gitlab}/_emulator/stats`)).json()) as Record<string, number>;
      await page.getByRole('link', { name: 'Git authentications' }).click();
      const row = page.getByRole('row', { name: /GitLab/ });
      await row.getByRole('button', { name: 'Disconnect GitLab (Alice) on Local runner' }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Disconnect GitLab?' });
      await expect(dialog).toContainText('revokes the app’s access on GitLab'.replace('’', "'"));
      await dialog.getByRole('button', { name: 'Disconnect' }).click();
      await expect(page.getByText('No connections yet')).toBeVisible();
      const after = (await (await fetch(`${urls.gitlab}/_emulator/stats`)).json()) as Record<string, number>;
      expect((after.revocations ?? 0) - (before.revocations ?? 0)).toBe(1);
    });

    await test.step('a personal access token, from the subgroup project’s merge request', async () => {
      await page.getByRole('link', { name: 'New environment' }).click();
      await page.getByLabel('Context URL').fill(SUBGROUP_MR_URL);
      await expect(page.getByText('Merge request !1 in acme/platform/tools')).toBeVisible();
      const panel = page.getByRole('region', { name: 'Authorize GitLab' });
      await panel.getByRole('button', { name: 'Use a personal access token instead' }).click();
      // GitLab says whose the token is, its scopes and when it expires: the form asks for the token only.
      await expect(panel.getByRole('textbox', { name: 'Personal access token', exact: true })).toBeFocused();
      await expect(panel.getByRole('textbox', { name: /e-mail/ })).toHaveCount(0);
      await expect(panel.getByLabel('Expiry date')).toHaveCount(0);
      const expiresOn = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      const narrow = await gitlabTestApi('personal-access-tokens', { username: 'alice', scopes: ['read_user', 'read_api', 'read_repository'], expiresAt: expiresOn });
      await panel.getByRole('textbox', { name: 'Personal access token', exact: true }).fill(narrow.token!);
      await panel.getByRole('button', { name: 'Connect with token' }).click();
      await expect(panel.getByText(/missing scope write_repository/)).toBeVisible({ timeout: 20_000 });
      const { token } = await gitlabTestApi('personal-access-tokens', { username: 'alice', scopes: ['read_user', 'read_api', 'read_repository', 'write_repository'], expiresAt: expiresOn });
      await panel.getByRole('textbox', { name: 'Personal access token', exact: true }).fill(token!);
      await panel.getByRole('button', { name: 'Connect with token' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'GitLab is now connected as Alice (personal access token, expires' })).toBeVisible({ timeout: 20_000 });
      const id = await createEnvironment(page, 'feature/lint');
      const workspace = path.resolve(dataDir, 'runner', 'workspaces', id);
      expect((await run('git', ['remote', 'get-url', 'origin'], { cwd: workspace })).stdout.trim()).toBe(`${urls.gitlab}/acme/platform/tools.git`);
    });
  });
});
