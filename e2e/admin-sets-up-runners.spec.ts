import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test, signIn } from './fixtures.ts';

test.describe('Settings › Runners', () => {
  let started: ChildProcess | undefined;
  test.afterEach(() => {
    if (started?.pid) process.kill(-started.pid, 'SIGTERM');
  });

  test('an admin sees Local runner active, sets up a second runner and sees it come online', async ({ page }) => {
    await signIn(page, 'admin');
    await page.goto('/settings/runners');
    await expect(page.getByRole('heading', { name: 'Runners' })).toBeVisible();
    await expect(page.getByRole('row', { name: /Local runner/ })).toContainText('active');

    await page.getByRole('button', { name: 'Set up a new runner' }).click();
    const dialog = page.getByRole('dialog', { name: 'Set up a new runner' });
    const name = `Build runner ${Date.now()}`;
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('button', { name: 'Create runner' }).click();
    await expect(dialog.getByText('This token is shown only once.')).toBeVisible();
    const command = await dialog.getByRole('textbox', { name: 'Start command' }).inputValue();
    expect(command).toContain('RUNNER_TOKEN=rct_');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(dialog).toBeHidden();

    const row = page.getByRole('row', { name: new RegExp(name) });
    await expect(row).toBeVisible();
    await expect(row).not.toContainText('active');

    // Start the runner exactly as the dialog says, from the project folder.
    started = spawn('sh', ['-c', command], { cwd: process.cwd(), detached: true, stdio: 'ignore' });
    await expect(row).toContainText('active', { timeout: 30_000 });

    // And the runner page proves the link works both ways.
    await row.getByRole('link', { name }).click();
    await expect(page.getByRole('heading', { name: 'Configure repository access' })).toBeVisible();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect(page.getByText(/ms/)).toBeVisible();

    // A runner that stops shows inactive within seconds, without a reload.
    process.kill(-started.pid!, 'SIGTERM');
    started = undefined;
    await expect(page.getByText('inactive').first()).toBeVisible({ timeout: 15_000 });
  });

  test('a member sees runners read-only, with no admin actions', async ({ page }) => {
    await signIn(page, 'dev');
    await page.goto('/settings/runners');
    await expect(page.getByRole('row', { name: /Local runner/ })).toContainText('active');
    await expect(page.getByRole('button', { name: 'Set up a new runner' })).toHaveCount(0);
    await expect(page.getByText('Only organization admins can set up runners.')).toBeVisible();
  });

  test('a wrong password gets a clear message', async ({ page }) => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill('admin@acme.test');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toContainText('do not match');
  });
});
