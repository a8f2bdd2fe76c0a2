import { expect, test, signIn } from './fixtures.ts';
import { configureBitbucketOnLocalRunner } from './configure-bitbucket.ts';

test('an admin rotates a runner key and sees which secrets to re-enter', async ({ page }) => {
  await configureBitbucketOnLocalRunner();
  await signIn(page, 'admin');
  await page.goto('/settings/runners');
  await page.getByRole('link', { name: 'Local runner' }).click();
  const keyBefore = await page.getByText(/^[A-Za-z0-9_-]{43}$/).first().textContent();

  await page.getByRole('button', { name: 'Rotate key' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Rotate this runner’s key?' });
  await expect(dialog).toContainText('keep working until you re-enter them');
  await dialog.getByRole('button', { name: 'Rotate key' }).click();

  await expect(page.getByRole('status').filter({ hasText: 'New key' })).toBeVisible();
  await expect(page.getByText(keyBefore!)).toHaveCount(0);
  await expect(page.getByRole('row', { name: /^Bitbucket bitbucket\.org/ })).toContainText('Re-enter the secret');
});
