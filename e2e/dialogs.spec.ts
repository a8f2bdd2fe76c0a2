import type { Page } from '@playwright/test';
import { expect, test, signIn } from './fixtures.ts';

// The dialogs are the platform's modal <dialog> (components/ui/dialog.tsx). These check what the
// browser has to give them, and what the component adds: closing through React state, focus back
// on the opener, no scrolling behind.

/** True when focus is in an open dialog, or nowhere (between the last control and the first). */
function focusStaysInDialog(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const active = document.activeElement;
    return !active || active === document.body || active.closest('dialog[open]') !== null;
  });
}

function pageOverflow(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.documentElement).overflow);
}

test.describe('Dialogs', () => {
  test('a modal keeps the page behind out of reach, and a click outside or Escape closes it with focus back on the button', async ({ page }) => {
    await signIn(page, 'admin');
    await page.goto('/settings/runners');
    const opener = page.getByRole('button', { name: 'Set up a new runner' });
    const dialog = page.getByRole('dialog', { name: 'Set up a new runner' });

    await opener.click();
    await expect(dialog).toBeVisible();
    await expect(opener).toHaveAttribute('aria-expanded', 'true');
    await expect(dialog.getByLabel('Name')).toBeFocused();

    await test.step('Tab and Shift+Tab never reach the page behind, which does not scroll', async () => {
      for (const key of ['Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
        await page.keyboard.press(key);
        expect(await focusStaysInDialog(page), `focus after ${key}`).toBe(true);
      }
      expect(await pageOverflow(page)).toBe('hidden');
    });

    await test.step('a click on the backdrop closes it', async () => {
      await page.mouse.click(5, 5);
      await expect(dialog).toBeHidden();
      await expect(opener).toBeFocused();
      await expect(opener).toHaveAttribute('aria-expanded', 'false');
      expect(await pageOverflow(page)).not.toBe('hidden');
    });

    await test.step('Escape closes it, and it opens again as new', async () => {
      await opener.click();
      await dialog.getByLabel('Name').fill('Half-typed');
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
      await expect(opener).toBeFocused();
      await opener.click();
      await expect(dialog.getByLabel('Name')).toHaveValue('');
    });
  });

  test('Escape on the one-time runner token warns first; a second Escape closes', async ({ page }) => {
    await signIn(page, 'admin');
    await page.goto('/settings/runners');
    await page.getByRole('button', { name: 'Set up a new runner' }).click();
    const dialog = page.getByRole('dialog', { name: 'Set up a new runner' });
    await dialog.getByLabel('Name').fill(`Escape check ${Date.now()}`);
    await dialog.getByRole('button', { name: 'Create runner' }).click();
    await expect(dialog.getByText('This token is shown only once.')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('alert')).toContainText('Close without the token? It is shown only once.');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });
});
