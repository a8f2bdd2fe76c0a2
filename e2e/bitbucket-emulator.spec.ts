import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test, urls } from './fixtures.ts';

/** The Bitbucket emulator's origin: the test stack's, whichever ports this run picked. */
const BITBUCKET_URL = urls.bitbucket;

async function expectNoAccessibilityViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((violation) => violation.id)).toEqual([]);
}

test('a workspace owner adds an OAuth consumer, then grants it access and is sent back with a code', async ({
  page,
}) => {
  const consumerName = `Runner Console e2e ${Date.now()}`;
  // The emulator's own health path answers 200, so the final redirect lands on a real page.
  const callbackUrl = `${BITBUCKET_URL}/_emulator/health`;

  await test.step('log in to the emulator as alice', async () => {
    await page.goto(`${BITBUCKET_URL}/acme/workspace/settings/oauth-consumers/new`);
    await expect(page.getByRole('heading', { name: 'Log in to Bitbucket' })).toBeVisible();
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('alice');
    await page.getByRole('button', { name: 'Log in' }).click();
  });

  await test.step('fill in Add OAuth consumer', async () => {
    await expect(page.getByRole('heading', { name: 'Add OAuth consumer' })).toBeVisible();
    await expectNoAccessibilityViolations(page);
    await page.getByLabel('Name', { exact: true }).fill(consumerName);
    await page.getByLabel('Callback URL').fill(callbackUrl);
    await page
      .getByRole('group', { name: 'Account', exact: true })
      .getByLabel('Read', { exact: true })
      .check();
    const repositories = page.getByRole('group', { name: 'Repositories', exact: true });
    await repositories.getByLabel('Read', { exact: true }).check();
    await repositories.getByLabel('Write', { exact: true }).check();
    await page
      .getByRole('group', { name: 'Pull requests', exact: true })
      .getByLabel('Read', { exact: true })
      .check();
    await page
      .getByRole('group', { name: 'Issues', exact: true })
      .getByLabel('Read', { exact: true })
      .check();
    await page.getByRole('button', { name: 'Save' }).click();
  });

  const key = await test.step('see the Key and Secret', async () => {
    await expect(page.getByRole('heading', { name: consumerName })).toBeVisible();
    await expect(page.getByLabel('Key', { exact: true })).toHaveValue(/^[A-Za-z0-9]{18}$/);
    await expect(page.getByLabel('Secret', { exact: true })).toHaveValue(/^[A-Za-z0-9]{32}$/);
    return page.getByLabel('Key', { exact: true }).inputValue();
  });

  await test.step('see the consent page naming the consumer and its scopes', async () => {
    await page.goto(
      `${BITBUCKET_URL}/site/oauth2/authorize?client_id=${key}&response_type=code&state=xyz`,
    );
    await expect(
      page.getByRole('heading', { name: `Grant ${consumerName} access to your account` }),
    ).toBeVisible();
    const scopes = page.getByRole('list', { name: `${consumerName} will be able to:` });
    await expect(scopes.getByRole('listitem')).toHaveCount(6);
    await expect(scopes.getByText('Read your account information')).toBeVisible();
    await expect(scopes.getByText('Read and modify your repositories')).toBeVisible();
    await expect(scopes.getByText('pullrequest', { exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Cancel' })).toBeVisible();
  });

  await test.step('grant access and land on the callback URL with code and state', async () => {
    const callback = page.waitForRequest(
      (request) => request.isNavigationRequest() && request.url().startsWith(callbackUrl),
    );
    await page.getByRole('button', { name: 'Grant access' }).click();
    const url = new URL((await callback).url());
    expect(url.searchParams.get('code')).toMatch(/^[A-Za-z0-9]{18}$/);
    expect(url.searchParams.get('state')).toBe('xyz');
    await expect(page).toHaveURL(/\/_emulator\/health\?code=[A-Za-z0-9]{18}&state=xyz$/);
  });
});

test.describe("The emulator's pages are styled", () => {
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    test(`its stylesheet loads on the sign-in and consumer pages, at ${viewport.width} px`, async ({ page }) => {
      await page.setViewportSize(viewport);
      const stylesheet = page.waitForResponse((response) => response.url().endsWith('/_emulator/assets/emulator.css'));
      await page.goto(`${BITBUCKET_URL}/acme/workspace/settings/oauth-consumers/new`);
      await expect(page.getByRole('heading', { name: 'Log in to Bitbucket' })).toBeVisible();
      expect((await stylesheet).status()).toBe(200);
      // Its rules apply: the page is not the browser's default white with Times.
      const look = await page.evaluate(() => ({
        rules: [...document.styleSheets].reduce((n, sheet) => n + sheet.cssRules.length, 0),
        font: getComputedStyle(document.body).fontFamily,
        background: getComputedStyle(document.body).backgroundColor,
      }));
      expect(look.rules).toBeGreaterThan(10);
      expect(look.font).not.toMatch(/^"?Times/);
      expect(look.background).not.toBe('rgba(0, 0, 0, 0)');
      await expectNoAccessibilityViolations(page);
      await expect(page).toHaveScreenshot(`emulator-sign-in-${viewport.width}.png`, { fullPage: true, maxDiffPixelRatio: 0.002 });

      await page.getByLabel('Username').fill('alice');
      await page.getByLabel('Password').fill('alice');
      await page.getByRole('button', { name: 'Log in' }).click();
      await expect(page.getByRole('heading', { name: 'Add OAuth consumer' })).toBeVisible();
      await expectNoAccessibilityViolations(page);
      await expect(page).toHaveScreenshot(`emulator-add-consumer-${viewport.width}.png`, { fullPage: true, maxDiffPixelRatio: 0.002 });
    });
  }
});
