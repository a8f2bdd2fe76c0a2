import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { configureBitbucketOnLocalRunner, csrfTokenOf } from './configure-bitbucket.ts';
import { expect, test, dataDir, signIn, urls } from './fixtures.ts';

const run = promisify(execFile);
const PR_URL = 'https://bitbucket.org/acme/widgets/pull-requests/1';

const homes: string[] = [];
/** git as a developer runs it inside the workspace: their own (empty) global config, no prompts. */
const gitEnv = () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-e2e-home-'));
  homes.push(home);
  return { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };
};

async function connectAndCreateEnvironment(page: Page): Promise<string> {
  await signIn(page, 'dev');
  await page.getByRole('link', { name: 'New environment' }).click();
  await page.getByLabel('Context URL').fill(PR_URL);
  await expect(page.getByText('Pull request #1 in acme/widgets')).toBeVisible();
  const popupPromise = page.waitForEvent('popup');
  await page.getByRole('region', { name: 'Authorize Bitbucket' }).getByRole('button', { name: 'Connect', exact: true }).click();
  const popup = await popupPromise;
  await popup.getByLabel('Username').fill('alice');
  await popup.getByLabel('Password').fill('alice');
  await popup.getByRole('button', { name: 'Log in' }).click();
  await popup.getByRole('button', { name: 'Grant access' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Bitbucket is now connected as Alice' })).toBeVisible();
  await page.getByRole('button', { name: 'Create environment' }).click();
  await expect(page).toHaveURL(/\/environments\/[^/]+$/, { timeout: 30_000 });
  await expect(page.getByText('Ready', { exact: true })).toBeVisible({ timeout: 30_000 });
  return decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
}

/** The head of feature/login as Bitbucket's REST API shows it (read with alice's password, an emulator convenience). */
async function headOfFeatureLogin(): Promise<string> {
  const response = await fetch(`${urls.bitbucket}/2.0/repositories/acme/widgets/refs/branches/feature%2Flogin`, {
    headers: { authorization: `Basic ${Buffer.from('alice:alice').toString('base64')}` },
  });
  return ((await response.json()) as { target: { hash: string } }).target.hash;
}

async function commitAndPush(workspace: string, env: NodeJS.ProcessEnv, file: string) {
  fs.writeFileSync(path.join(workspace, file), `${file}\n`);
  await run('git', ['add', file], { cwd: workspace, env });
  await run('git', ['commit', '--quiet', '-m', `Add ${file}`], { cwd: workspace, env });
  const head = (await run('git', ['rev-parse', 'HEAD'], { cwd: workspace, env })).stdout.trim();
  const push = await run('git', ['push'], { cwd: workspace, env }).then(
    () => ({ ok: true, stderr: '' }),
    (err: { stderr: string }) => ({ ok: false, stderr: err.stderr }),
  );
  return { head, ...push };
}

test.describe('A developer pushes from an environment', () => {
  test.describe.configure({ timeout: 120_000 });

  test('a commit and a plain git push arrive on feature/login, also after the access token expired, and stop after Disconnect', async ({ page }) => {
    await configureBitbucketOnLocalRunner();
    const id = await connectAndCreateEnvironment(page);
    const workspace = path.resolve(dataDir, 'runner', 'workspaces', id);
    const env = gitEnv();

    // No token in the clone: not in .git/config, not in the remote URL.
    const remote = (await run('git', ['remote', 'get-url', 'origin'], { cwd: workspace, env })).stdout.trim();
    expect(remote).toBe(`${urls.bitbucket}/acme/widgets.git`);
    expect(fs.readFileSync(path.join(workspace, '.git', 'config'), 'utf8')).not.toMatch(/password|token|bearer/i);

    const first = await commitAndPush(workspace, env, 'pushed-from-environment.txt');
    expect(first.stderr).toBe('');
    expect(first.ok).toBe(true);
    expect(await headOfFeatureLogin()).toBe(first.head);

    // Bitbucket expires the access token (the emulator's knob); push still works.
    const expired = await page.request.post(`${urls.bitbucket}/_emulator/tokens/expire`, { data: { username: 'alice', kind: 'access' } });
    expect(expired.ok()).toBe(true);
    const second = await commitAndPush(workspace, env, 'after-expiry.txt');
    expect(second.ok).toBe(true);
    expect(await headOfFeatureLogin()).toBe(second.head);

    // Settings › Git authentications › Disconnect: the next push fails and says why.
    await page.goto('/settings/git-authentications');
    await page.getByRole('button', { name: /^Disconnect/ }).first().click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Disconnect', exact: true }).click();
    await expect(page.getByText('No connections yet')).toBeVisible();
    const third = await commitAndPush(workspace, env, 'after-disconnect.txt');
    expect(third.ok).toBe(false);
    expect(third.stderr).toContain('Runner Console: Your Bitbucket account is no longer connected on this runner');
    expect(await headOfFeatureLogin()).toBe(second.head);
  });

  test('a sign-in unused for 3 months asks to connect again, saying why', async ({ page }) => {
    await configureBitbucketOnLocalRunner();
    await connectAndCreateEnvironment(page);
    // Bitbucket expires refresh tokens unused for 3 months (the emulator's knob), and this access token too.
    const knob = await page.request.post(`${urls.bitbucket}/_emulator/tokens/expire`, { data: { username: 'alice', kind: 'refresh' } });
    expect(knob.ok()).toBe(true);
    await page.request.post(`${urls.bitbucket}/_emulator/tokens/expire`, { data: { username: 'alice', kind: 'access' } });
    await page.getByRole('link', { name: 'New environment' }).click();
    await page.getByLabel('Context URL').fill(PR_URL);
    await expect(page.getByText('Pull request #1 in acme/widgets')).toBeVisible();
    await page.getByRole('button', { name: 'Create environment' }).click();
    const panel = page.getByRole('region', { name: 'Authorize Bitbucket' });
    await expect(panel.getByRole('button', { name: 'Connect again' })).toBeVisible();
    await expect(panel.getByText('Bitbucket expires sign-ins that are not used for 3 months')).toBeVisible();
  });

  test.afterEach(async ({ page }) => {
    for (const home of homes.splice(0)) fs.rmSync(home, { recursive: true, force: true });
    const list = await page.request.get('/api/git-authentications');
    if (!list.ok()) return;
    const { authentications } = (await list.json()) as { authentications: { id: string; runnerId: string }[] };
    const csrf = await csrfTokenOf({ kind: 'browser', browser: page.context() });
    for (const a of authentications) await page.request.delete(`/api/git-authentications/${a.runnerId}/${a.id}`, { headers: { 'x-csrf-token': csrf } });
  });
});
