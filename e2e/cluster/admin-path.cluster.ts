import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { signIn } from '../fixtures.ts';

// The admin path on the cluster: every request goes through HAProxy, round robin over three BFF
// instances with no stickiness, so the pages, the event stream and the runner's link land on
// different instances.
test.describe('Settings › Runners on the cluster', () => {
  let started: ChildProcess | undefined;
  test.afterEach(() => {
    if (started?.pid) process.kill(-started.pid, 'SIGTERM');
  });

  test('an admin sets up a runner, sees it come online and tests it, whichever instance answers', async ({ page }) => {
    const servedBy = new Set<string>();
    page.on('response', (res) => {
      const by = res.headers()['x-served-by'];
      if (by && res.url().includes('/api/')) servedBy.add(by);
    });
    await signIn(page, 'admin');
    await page.goto('/settings/runners');
    await expect(page.getByRole('row', { name: /Local runner/ })).toContainText('active');

    await page.getByRole('button', { name: 'Set up a new runner' }).click();
    const dialog = page.getByRole('dialog', { name: 'Set up a new runner' });
    const name = `Cluster runner ${Date.now()}`;
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('button', { name: 'Create runner' }).click();
    await expect(dialog.getByText('This token is shown only once.')).toBeVisible();
    const command = await dialog.getByRole('textbox', { name: 'Start command' }).inputValue();
    // Runners dial the load balancer, never one instance.
    expect(command).toContain(`BFF_URL=${new URL(page.url()).origin}`);
    await dialog.getByRole('button', { name: 'Done' }).click();

    const row = page.getByRole('row', { name: new RegExp(name) });
    await expect(row).toBeVisible();
    started = spawn('sh', ['-c', command], { cwd: process.cwd(), detached: true, stdio: 'ignore' });
    // The phase change is published by the instance holding the link, wherever this page's stream is.
    await expect(row).toContainText('active', { timeout: 30_000 });

    await row.getByRole('link', { name }).click();
    await expect(page.getByRole('heading', { name: 'Configure repository access' })).toBeVisible();
    for (let i = 0; i < 3; i++) {
      await page.getByRole('button', { name: 'Test connection' }).click();
      await expect(page.getByText(/ms/)).toBeVisible();
    }

    process.kill(-started.pid!, 'SIGTERM');
    started = undefined;
    await expect(page.getByText('inactive').first()).toBeVisible({ timeout: 15_000 });
    expect(servedBy.size).toBeGreaterThanOrEqual(2);
  });
});
