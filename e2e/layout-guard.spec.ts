import { expect, test } from './fixtures.ts';

// The guard in fixtures.ts must catch what it is for. Each test here breaks the layout on purpose,
// so the guard fails it when the test ends: `test.fail()` turns that expected failure into a pass,
// and a guard that let it through into a failure.

test.describe('The layout guard', () => {
  test('fails a page that scrolls sideways', async ({ page }) => {
    test.fail();
    await page.goto('/sign-in');
    await expect(page.getByRole('heading', { name: 'Sign in to your organization' })).toBeVisible();
    await page.evaluate(() => {
      const wide = document.createElement('div');
      wide.style.width = '2000px';
      wide.style.height = '10px';
      document.body.append(wide);
    });
  });

  test('fails an open dialog whose content reaches outside it', async ({ page }) => {
    test.fail();
    await page.goto('/sign-in');
    await page.evaluate(() => {
      const dialog = document.createElement('dialog');
      dialog.style.width = '300px';
      const line = document.createElement('p');
      line.textContent = 'A title that must not be cut off';
      line.style.width = '600px';
      const heading = document.createElement('h2');
      heading.textContent = 'A dialog';
      dialog.append(heading, line);
      document.body.append(dialog);
      dialog.showModal();
    });
    await expect(page.getByRole('dialog')).toBeVisible();
  });
});
