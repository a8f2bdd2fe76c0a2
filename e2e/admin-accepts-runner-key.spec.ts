import type { Page } from '@playwright/test';
import { csrfTokenOf } from './configure-bitbucket.ts';
import { expect, test, signIn } from './fixtures.ts';
import { freePort, InstalledRunner } from './installed-runner.ts';

/**
 * A runner's key is pinned at its first connection. The same start command run in a new folder (a
 * reinstalled machine) makes a new key: the runner is refused and keeps trying, the runner page
 * shows both key ids, and the admin accepts the new key on purpose.
 */
async function reinstalledRunner(page: Page, installed: InstalledRunner[]) {
  const csrf = { 'x-csrf-token': await csrfTokenOf({ kind: 'browser', browser: page.context() }) };
  const name = `Reinstalled runner ${Date.now()}`;
  const created = await page.request.post('/api/runners', { headers: csrf, data: { name, publicUrl: `http://localhost:${await freePort()}` } });
  expect(created.status(), await created.text()).toBe(201);
  const { runner, startCommand, runnerToken } = (await created.json()) as { runner: { id: string }; startCommand: string; runnerToken: string };
  const first = new InstalledRunner();
  installed.push(first);
  first.start(startCommand, runnerToken);
  await page.goto(`/settings/runners/${runner.id}`);
  const title = page.getByRole('heading', { name, level: 1 }).locator('..');
  await expect(title.getByText('active', { exact: true })).toBeVisible({ timeout: 60_000 });
  const pinnedKid = (await (await page.request.get(`/api/runners/${runner.id}`)).json()).publicKey.kid as string;
  await first.stop();

  // The machine is replaced: an empty folder, the same command, so a new key pair.
  const second = new InstalledRunner();
  installed.push(second);
  second.start(startCommand, runnerToken);
  await expect.poll(() => second.output, { timeout: 30_000 }).toContain('refused this runner');
  const presentedKid = /accepts this key \(id ([^)]+)\)/.exec(second.output)?.[1] ?? '';
  expect(presentedKid).not.toBe(pinnedKid);
  return { runnerId: runner.id, name, pinnedKid, presentedKid, title, runner: second };
}

test.describe('An admin accepts a reinstalled runner’s new key', () => {
  test.describe.configure({ timeout: 180_000 });
  const installed: InstalledRunner[] = [];
  test.afterEach(async () => {
    for (const r of installed.splice(0)) {
      await r.stop();
      r.remove();
    }
  });

  test('the page names both keys; accepting after the confirmation lets the runner in', async ({ page }) => {
    await signIn(page, 'admin');
    const { runnerId, pinnedKid, presentedKid, title, runner } = await reinstalledRunner(page, installed);

    const banner = page.getByRole('alert').filter({ hasText: 'This runner’s token was used with a different key' });
    await expect(banner).toBeVisible();
    await expect(banner).toContainText(pinnedKid);
    await expect(banner).toContainText(presentedKid);
    await expect(banner).toContainText('If you did not reinstall this runner or move its data folder, replace its token instead');

    // Keyboard: the button is reached and pressed with the keyboard; Cancel has focus first.
    await banner.getByRole('button', { name: 'Accept the new key' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog', { name: 'Accept the new key?' });
    await expect(dialog).toContainText(pinnedKid);
    await expect(dialog).toContainText(presentedKid);
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(banner).toBeVisible();

    await banner.getByRole('button', { name: 'Accept the new key' }).click();
    await dialog.getByRole('button', { name: 'Accept the new key' }).click();
    await expect(dialog).toBeHidden();
    await expect(banner).toBeHidden();
    await expect(page.getByRole('region', { name: 'Details' }).getByText(presentedKid)).toBeVisible();
    // The runner kept trying and now connects with its new key.
    await expect(title.getByText('active', { exact: true })).toBeVisible({ timeout: 45_000 });
    expect(runner.output).toContain('connected to the BFF');

    const audit = (await (await page.request.get(`/api/runners/${runnerId}/audit-log`)).json()) as { entries: { action: string; details: Record<string, unknown> }[] };
    expect(audit.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['runner.key_registered', 'runner.key_refused', 'runner.key_accepted']));
    expect(audit.entries.find((e) => e.action === 'runner.key_accepted')?.details).toEqual({ previousKid: pinnedKid, kid: presentedKid });
  });
});

test.describe('The refused-key banner on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });
  test.describe.configure({ timeout: 180_000 });
  const installed: InstalledRunner[] = [];
  test.afterEach(async () => {
    for (const r of installed.splice(0)) {
      await r.stop();
      r.remove();
    }
  });

  test('the banner and the confirmation fit 390 px', async ({ page }) => {
    await signIn(page, 'admin');
    const { presentedKid } = await reinstalledRunner(page, installed);
    const banner = page.getByRole('alert').filter({ hasText: 'This runner’s token was used with a different key' });
    await expect(banner).toContainText(presentedKid);
    expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
    await banner.getByRole('button', { name: 'Accept the new key' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Accept the new key?' });
    await expect(dialog).toContainText(presentedKid);
    const box = await dialog.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });
});
