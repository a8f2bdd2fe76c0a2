import { expect, signIn, test } from './fixtures.ts';

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

  test('fails a table in main that needs sideways scrolling', async ({ page }) => {
    test.fail();
    await signIn(page, 'admin');
    await expect(page.getByRole('heading', { name: 'Runners', level: 1 })).toBeVisible();
    await page.evaluate(() => {
      // As a table with more columns than fit did before: its box scrolls, the page does not.
      const wrap = document.createElement('div');
      wrap.style.overflowX = 'auto';
      const table = document.createElement('table');
      table.setAttribute('aria-label', 'A wide table');
      table.innerHTML = `<tr>${'<td style="white-space:nowrap">A column with a long heading</td>'.repeat(8)}</tr>`;
      wrap.append(table);
      document.querySelector('main')!.append(wrap);
    });
  });

  test('fails a button in main that its scrolling box cuts off', async ({ page }) => {
    test.fail();
    await signIn(page, 'admin');
    await expect(page.getByRole('heading', { name: 'Runners', level: 1 })).toBeVisible();
    await page.evaluate(() => {
      // The row's Delete shown as "De": the box scrolls, and the button starts near its right edge.
      const box = document.createElement('div');
      box.style.cssText = 'overflow-x:auto; width:300px; white-space:nowrap';
      const spacer = document.createElement('span');
      spacer.style.cssText = 'display:inline-block; width:280px';
      const button = document.createElement('button');
      button.textContent = 'Delete';
      box.append(spacer, button);
      document.querySelector('main')!.append(box);
    });
  });

  test('fails a link in main that a box clipping its overflow hides in part', async ({ page }) => {
    test.fail();
    await signIn(page, 'admin');
    await expect(page.getByRole('heading', { name: 'Runners', level: 1 })).toBeVisible();
    await page.evaluate(() => {
      const box = document.createElement('div');
      box.style.cssText = 'overflow:hidden; width:120px; white-space:nowrap';
      const link = document.createElement('a');
      link.href = '/settings/git-authentications';
      link.textContent = 'Git authentications, a link longer than its box';
      box.append(link);
      document.querySelector('main')!.append(box);
    });
  });

  test('passes a page whose tables fit and whose buttons are whole', async ({ page }) => {
    await signIn(page, 'admin');
    await expect(page.getByRole('heading', { name: 'Runners', level: 1 })).toBeVisible();
    await page.evaluate(() => {
      const box = document.createElement('div');
      box.style.cssText = 'overflow-x:auto; width:300px';
      const button = document.createElement('button');
      button.textContent = 'Delete';
      box.append(button);
      document.querySelector('main')!.append(box);
    });
  });
});
