import { expect, test } from '@playwright/test';
import { signIn } from '../fixtures.ts';
import { InstalledRunner } from '../installed-runner.ts';

// The admin path on the cluster: every request goes through HAProxy, round robin over three BFF
// instances with no stickiness, so the pages, the event stream and the runner's link land on
// different instances.

test.describe('Settings › Runners on the cluster', () => {
  let runner: InstalledRunner | undefined;
  test.afterEach(async () => {
    await runner?.stop();
    runner?.remove();
    runner = undefined;
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
    const command = await dialog.getByRole('textbox', { name: 'Start command' }).inputValue();
    const token = await dialog.getByRole('textbox', { name: 'Runner token' }).inputValue();
    // Runners download from, and dial, the load balancer, never one instance.
    expect(command).toContain(`${new URL(page.url()).origin}/downloads/runner.mjs`);
    runner = new InstalledRunner();
    runner.start(command, token);
    // The phase change is published by the instance holding the link, wherever this dialog's stream is.
    await expect(dialog.getByText(/connected after \d+ s/)).toBeVisible({ timeout: 60_000 });
    await dialog.getByRole('button', { name: /^(Later|Go to the runner)$/ }).click();

    await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Configure repository access' })).toBeVisible();
    for (let i = 0; i < 3; i++) {
      await page.getByRole('button', { name: 'Test connection' }).click();
      await expect(page.getByText(/ms/)).toBeVisible();
    }

    await runner.stop();
    await expect(page.getByText('inactive').first()).toBeVisible({ timeout: 15_000 });
    expect(servedBy.size).toBeGreaterThanOrEqual(2);
  });
});
