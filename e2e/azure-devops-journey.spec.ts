import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { expect, test, dataDir, signIn, urls } from './fixtures.ts';

// Azure DevOps' journey (issue 25): an admin adds Azure DevOps to Local runner with a Microsoft
// Entra app registration made from the redirect URI the modal shows (the Entra emulator's test API
// stands for the Entra admin center); a developer starts from pull request 1, connects through
// Entra's sign-in and consent in the popup, gets an environment on feature/login and pushes. Then
// an Azure DevOps Server integration (host tfs.acme.test, collection acme: the same emulator under
// `npm start`), which takes personal access tokens only, with a token.

const run = promisify(execFile);
const PR_URL = 'https://dev.azure.com/acme/widgets/_git/widgets/pullrequest/1';
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function testApi(pathName: string, body: unknown): Promise<Record<string, string>> {
  const response = await fetch(`${urls.azureDevops}/_emulator/${pathName}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (await response.json()) as Record<string, string>;
}

async function csrfHeaders(page: Page): Promise<Record<string, string>> {
  const csrf = (await page.context().cookies()).find((cookie) => cookie.name === 'rc_csrf' || cookie.name === '__Host-rc_csrf');
  return { 'x-csrf-token': decodeURIComponent(csrf!.value) };
}

/** As admin: Local runner without integrations, then the "Add a new provider" modal on Azure DevOps. */
async function openAzureDevopsModal(page: Page) {
  await signIn(page, 'admin');
  const { runners } = (await (await page.request.get('/api/runners')).json()) as { runners: { id: string; name: string }[] };
  const runnerId = runners.find((runner) => runner.name === 'Local runner')!.id;
  const { integrations } = (await (await page.request.get(`/api/runners/${runnerId}/integrations`)).json()) as { integrations: { id: string }[] };
  for (const { id } of integrations) await page.request.delete(`/api/runners/${runnerId}/integrations/${id}`, { headers: await csrfHeaders(page) });
  await page.goto('/settings/runners');
  await page.getByRole('link', { name: 'Local runner' }).click();
  await page.getByRole('button', { name: 'Add a new provider' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a new provider' });
  await dialog.getByRole('radio', { name: /Azure DevOps/ }).first().check();
  await expect(dialog.getByRole('textbox', { name: 'Host' })).toHaveValue('dev.azure.com');
  return dialog;
}

async function saveAndExpect(page: Page, dialog: ReturnType<Page['getByRole']>, toast: string | RegExp) {
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden({ timeout: 20_000 });
  await expect(page.getByRole('region', { name: /Notifications/ }).getByText(toast)).toBeVisible();
}

/** As dev: the context URL, then Connect through Entra in the popup, or a personal access token. */
async function developerConnects(page: Page, contextUrl: string, summary: RegExp, panelName: string, how: 'entra' | 'token only') {
  await page.context().clearCookies();
  await signIn(page, 'dev');
  await page.getByRole('link', { name: 'New environment' }).click();
  await page.getByLabel('Context URL').fill(contextUrl);
  await expect(page.getByText(summary)).toBeVisible();
  const panel = page.getByRole('region', { name: panelName });
  if (how === 'token only') {
    // Tokens are the only way in: the token form is there at once.
    // A PAT cannot tell its own expiry: the form asks for it, and for no e-mail.
    await expect(panel.getByRole('textbox', { name: /e-mail/ })).toHaveCount(0);
    const expiresOn = inDays(30);
    const { token } = await testApi('personal-access-tokens', { username: 'alice', organization: 'acme', scopes: ['vso.code_write'], expiresAt: expiresOn });
    await panel.getByRole('textbox', { name: 'Personal access token', exact: true }).fill(token!);
    await panel.getByLabel('Expiry date').fill(expiresOn);
    await panel.getByRole('button', { name: 'Connect with token' }).click();
    await expect(page.getByRole('status').filter({ hasText: /is now connected as Alice \(personal access token, expires/ })).toBeVisible({ timeout: 20_000 });
  } else {
    const popupPromise = page.waitForEvent('popup');
    await panel.getByRole('button', { name: 'Connect', exact: true }).click();
    const popup = await popupPromise;
    await popup.getByLabel('Username or email address').fill('alice');
    await popup.getByLabel('Password').fill('alice');
    await popup.getByRole('button', { name: 'Sign in' }).click();
    await expect(popup.getByText('vso.code_write')).toBeVisible();
    await popup.getByRole('button', { name: 'Accept' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Azure DevOps is now connected as Alice' })).toBeVisible({ timeout: 20_000 });
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
  const { token } = await testApi('personal-access-tokens', { username: 'alice', organization: 'acme', scopes: ['vso.code'], expiresAt: inDays(1) });
  const response = await fetch(`${urls.azureDevops}/acme/widgets/_apis/git/repositories/widgets/refs?filter=heads/feature/login&api-version=7.1`, {
    headers: { authorization: `Basic ${Buffer.from(`:${token}`).toString('base64')}` },
  });
  return ((await response.json()) as { value: { objectId: string }[] }).value[0]!.objectId;
}

test.describe('Azure DevOps: an admin adds it, a developer connects and pushes', () => {
  test('with a Microsoft Entra app registration: from pull request 1 to a push on feature/login', async ({ page }) => {
    const dialog = await openAzureDevopsModal(page);
    await dialog.getByRole('switch', { name: 'Enable OAuth' }).click();
    const help = dialog.getByRole('complementary', { name: 'Step-by-step help' });
    await expect(help.getByRole('listitem').filter({ hasText: 'Azure DevOps › vso.code_write: Delegated' })).toBeVisible();
    const redirectUri = await dialog.getByRole('textbox', { name: 'Callback URL' }).inputValue();
    expect(redirectUri).toBe(`${urls.runner}/oauth/callback`);
    const app = await testApi('app-registrations', { tenant: 'acme', name: 'Runner Console', redirectUri });
    // The directory id, as the app registration's Overview shows it.
    await dialog.getByRole('textbox', { name: 'Directory (tenant) ID' }).fill(app.tenantId!);
    await dialog.getByLabel('Client ID').fill(app.clientId!);
    await dialog.getByLabel('Client Secret').fill(app.clientSecret!);
    await dialog.getByRole('switch', { name: 'Enable personal access tokens' }).click();
    await saveAndExpect(page, dialog, 'Microsoft Entra ID accepted the Application (client) ID and the client secret.');

    const id = await developerConnects(page, PR_URL, /Pull request #1 in acme\/widgets/, 'Authorize Azure DevOps', 'entra');
    const workspace = path.resolve(dataDir, 'runner', 'workspaces', id);
    expect((await run('git', ['remote', 'get-url', 'origin'], { cwd: workspace })).stdout.trim()).toBe(`${urls.azureDevops}/acme/widgets/_git/widgets`);
    expect(await pushFrom(workspace, 'from-azure-devops-environment.txt')).toBe(await headOfFeatureLogin());
  });

  test('Azure DevOps Server with a personal access token: the collection path, no OAuth', async ({ page }) => {
    const dialog = await openAzureDevopsModal(page);
    await dialog.getByRole('textbox', { name: 'Host' }).fill('tfs.acme.test');
    await expect(dialog.getByText('Azure DevOps Server has no OAuth: developers connect with personal access tokens.')).toBeVisible();
    await expect(dialog.getByRole('switch', { name: 'Enable OAuth' })).toHaveCount(0);
    await dialog.getByRole('textbox', { name: 'Collection path' }).fill('acme');
    await dialog.getByRole('switch', { name: 'Enable personal access tokens' }).click();
    await saveAndExpect(page, dialog, /Developers connect with API tokens/);

    const id = await developerConnects(page, 'https://tfs.acme.test/acme/widgets/_git/widgets?version=GBfeature%2Flogin', /Branch feature\/login in acme\/widgets/, 'Authorize Azure DevOps', 'token only');
    const workspace = path.resolve(dataDir, 'runner', 'workspaces', id);
    expect(await pushFrom(workspace, 'from-azure-devops-server-environment.txt')).toBe(await headOfFeatureLogin());
  });
});
