import fs from 'node:fs';
import path from 'node:path';
import { configureBitbucketOnLocalRunner, csrfTokenOf } from './configure-bitbucket.ts';
import { expect, test, dataDir, signIn } from './fixtures.ts';
import { connectAsAliceInPopup } from './installed-runner.ts';

test.describe('Environments', () => {
  test.describe.configure({ timeout: 120_000 });

  test('the environment page shows where the workspace is, and Delete has the runner remove it', async ({ page }) => {
    await configureBitbucketOnLocalRunner();
    await signIn(page, 'dev');
    await page.goto('/environments/new');
    await expect(page.getByLabel('Runner').locator('option:checked')).toHaveText('Local runner');
    await page.getByLabel('Context URL').fill('https://bitbucket.org/acme/widgets/src/main/');
    await connectAsAliceInPopup(page);
    await page.getByRole('button', { name: 'Create environment' }).click();
    await expect(page).toHaveURL(/\/environments\/[^/]+$/, { timeout: 30_000 });
    await expect(page.getByText('Ready', { exact: true })).toBeVisible({ timeout: 30_000 });
    const environmentId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);

    // The path on the runner's machine: the Local runner's data folder here.
    const workspace = path.resolve(dataDir, 'runner', 'workspaces', environmentId);
    await expect(page.getByText(workspace, { exact: true })).toBeVisible();
    expect(fs.existsSync(path.join(workspace, '.git'))).toBe(true);

    await page.getByRole('button', { name: 'Delete environment' }).click();
    const confirm = page.getByRole('alertdialog', { name: /^Delete acme\/widgets\?$/ });
    await expect(confirm.getByText(/removes the workspace folder/)).toBeVisible();
    await confirm.getByRole('button', { name: 'Delete environment' }).click();
    await expect(page).toHaveURL(/\/environments$/);
    // The toast (its text is also in the live region that announces it).
    await expect(page.getByText('Local runner removed its workspace.', { exact: false }).first()).toBeVisible();
    expect(fs.existsSync(workspace)).toBe(false);
    expect((await page.request.get(`/api/environments/${environmentId}`)).status()).toBe(404);

    // Clean up the connection for the other specs.
    const csrf = await csrfTokenOf({ kind: 'browser', browser: page.context() });
    const { authentications } = (await (await page.request.get('/api/git-authentications')).json()) as { authentications: { id: string; runnerId: string }[] };
    for (const a of authentications) await page.request.delete(`/api/git-authentications/${a.runnerId}/${a.id}`, { headers: { 'x-csrf-token': csrf } });
  });
});
