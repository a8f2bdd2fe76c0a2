import { expect, test, signIn } from './fixtures.ts';

test.describe('Settings › Runners', () => {
  // Setting up and installing a runner is admin-installs-runner.spec.ts.
  test('an admin sees Local runner active, and its page proves the link works both ways', async ({ page }) => {
    await signIn(page, 'admin');
    await page.goto('/settings/runners');
    await expect(page.getByRole('heading', { name: 'Runners' })).toBeVisible();
    const row = page.getByRole('row', { name: /Local runner/ });
    await expect(row).toContainText('active');
    await row.getByRole('link', { name: 'Local runner' }).click();
    await expect(page.getByRole('heading', { name: 'Configure repository access' })).toBeVisible();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect(page.getByText(/ms/)).toBeVisible();
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
