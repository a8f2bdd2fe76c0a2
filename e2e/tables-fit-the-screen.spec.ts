import type { Locator, Page } from '@playwright/test';
import { configureBitbucketOnLocalRunner, csrfTokenOf, signInThroughApi } from './configure-bitbucket.ts';
import { expect, signIn, test } from './fixtures.ts';
import { connectAsAliceInPopup } from './installed-runner.ts';

// What a new user ran into (issue 22): at 1280 px tables pushed their actions out of sight, and on
// a phone they were cut off with no hint that they scroll. Every table fits a laptop's width with
// its actions whole, and becomes a list of cards below 640 px. The layout guard (fixtures.ts)
// checks the same on every page; these check the rows that went wrong.

const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const MOVED_CALLBACK_URL = 'http://localhost:19091/oauth/callback';

/** Scrolls the page (only the page, never a box inside it) so that `target` is in the middle. */
async function scrollPageTo(target: Locator): Promise<void> {
  await target.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - window.innerHeight / 2));
}

/** The whole control is on screen: not cut by the window or by a box that scrolls. */
async function expectWhole(control: Locator): Promise<void> {
  await scrollPageTo(control);
  await expect(control).toBeInViewport({ ratio: 1 });
}

/** Text shown whole: its box is not narrower than its text. */
async function expectNotCut(text: Locator): Promise<void> {
  const { scrollWidth, clientWidth } = await text.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth + 1);
}

/**
 * The runner's public URL moved: the list answers as the BFF does then (the status, its message and
 * the new callback URL). Restarting a runner at another URL takes a minute; admin-installs-runner
 * checks that journey, this checks how the row looks.
 */
async function showCallbackUrlChanged(page: Page): Promise<void> {
  await page.route(/\/api\/runners\/[^/]+\/integrations(\?.*)?$/, async (route) => {
    if (route.request().method() !== 'GET') return route.fallback();
    const response = await route.fetch();
    const body = (await response.json()) as { integrations: Record<string, unknown>[] };
    for (const integration of body.integrations) {
      const registered = String(integration.callbackUrl);
      integration.newCallbackUrl = MOVED_CALLBACK_URL;
      integration.validation = {
        status: 'callback_url_changed',
        message: `Callback URL changed: the runner now answers at ${MOVED_CALLBACK_URL}, but the OAuth consumer was set up with ${registered}. Paste the new URL into the consumer's Callback URL and confirm it here, or restart the runner with its original public URL.`,
        checkedAt: null,
      };
    }
    await route.fulfill({ response, json: body });
  });
}

async function openLocalRunner(page: Page): Promise<Locator> {
  await page.goto('/settings/runners');
  await page.getByRole('link', { name: 'Local runner' }).click();
  const row = page.getByRole('table', { name: 'Repository access of Local runner' }).getByRole('row', { name: /^Bitbucket bitbucket\.org/ });
  await expect(row.getByRole('button', { name: 'Delete Bitbucket (bitbucket.org)' })).toBeVisible({ timeout: 20_000 });
  return row;
}

test.describe('Tables at a laptop’s width', () => {
  test.use({ viewport: LAPTOP });

  test('Runner › Repository access: Validate, Edit and Delete are whole, also when the callback URL changed', async ({ page }) => {
    await configureBitbucketOnLocalRunner();
    await signIn(page, 'admin');
    let row = await openLocalRunner(page);
    for (const name of ['Validate', 'Edit', 'Delete']) await expectWhole(row.getByRole('button', { name: `${name} Bitbucket (bitbucket.org)` }));

    await showCallbackUrlChanged(page);
    await page.reload();
    row = page.getByRole('table', { name: 'Repository access of Local runner' }).getByRole('row', { name: /^Bitbucket bitbucket\.org/ });
    await expect(row.getByText('Callback URL changed', { exact: true })).toBeVisible({ timeout: 20_000 });
    for (const name of ['Validate', 'Edit', 'Delete']) await expectWhole(row.getByRole('button', { name: `${name} Bitbucket (bitbucket.org)` }));
    await expectWhole(row.getByRole('button', { name: 'I updated the consumer' }));
    // The new URL is shown whole, not "http://localhost:".
    const url = row.getByRole('textbox', { name: 'New callback URL' });
    await expect(url).toHaveValue(MOVED_CALLBACK_URL);
    const field = await url.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, scrollHeight: el.scrollHeight, clientHeight: el.clientHeight }));
    expect(field.scrollWidth).toBeLessThanOrEqual(field.clientWidth + 1);
    expect(field.scrollHeight).toBeLessThanOrEqual(field.clientHeight + 1);
    // The status is not a tall paragraph: its message takes three lines at most (the whole of it on
    // hover and focus), and the row stays under half the window high.
    const message = row.getByText(/^Callback URL changed: the runner now answers at/);
    const lines = await message.evaluate((el) => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight));
    expect(lines).toBeLessThanOrEqual(3.1);
    await expect(message).toHaveAttribute('title', /original public URL\.$/);
    await message.focus();
    await expect.poll(() => message.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(1);
    await message.blur();
    expect((await row.boundingBox())!.height).toBeLessThan(LAPTOP.height / 2);
  });

  test('Settings › Git authentications: Status and Disconnect are whole', async ({ page }) => {
    await configureBitbucketOnLocalRunner();
    await signIn(page, 'dev');
    try {
      await page.goto(`/environments/new?${new URLSearchParams({ contextUrl: 'https://bitbucket.org/acme/widgets' })}`);
      await connectAsAliceInPopup(page);
      await page.goto('/settings/git-authentications');
      const row = page.getByRole('row', { name: /Alice/ });
      const disconnect = row.getByRole('button', { name: 'Disconnect Bitbucket (Alice) on Local runner' });
      await expectWhole(disconnect);
      expect((await disconnect.boundingBox())!.x + (await disconnect.boundingBox())!.width).toBeLessThanOrEqual(LAPTOP.width);
      const status = row.getByText('Connected', { exact: true });
      await expectWhole(status);
      await expectNotCut(status);

      await page.setViewportSize(PHONE);
      await expectWhole(disconnect);
      await expect(row.getByText('Local runner', { exact: true })).toBeInViewport({ ratio: 1 });
    } finally {
      const list = await page.request.get('/api/git-authentications');
      const csrf = await csrfTokenOf({ kind: 'browser', browser: page.context() });
      for (const a of ((await list.json()) as { authentications: { id: string; runnerId: string }[] }).authentications) {
        await page.request.delete(`/api/git-authentications/${a.runnerId}/${a.id}`, { headers: { 'x-csrf-token': csrf } });
      }
    }
  });
});

test.describe('Tables on a phone', () => {
  test.use({ viewport: PHONE });

  test('the runners table is a list of cards: every value of a runner is on screen', async ({ page }) => {
    await signIn(page, 'admin');
    const table = page.getByRole('table', { name: 'Runners of Acme' });
    const row = table.getByRole('row', { name: /^Local runner/ });
    await expect(row).toBeVisible();
    for (const value of [row.getByRole('link', { name: 'Local runner' }), row.getByText('active', { exact: true }), row.getByRole('cell').last()]) {
      await expectWhole(value);
    }
    // Each card fits the screen: the table does not scroll sideways.
    const box = (await table.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
  });

  test('Runner › Repository access is a card with its actions whole, also when the callback URL changed', async ({ page }) => {
    await configureBitbucketOnLocalRunner();
    await signIn(page, 'admin');
    await showCallbackUrlChanged(page);
    const row = await openLocalRunner(page);
    await expect(row.getByText('Callback URL changed', { exact: true })).toBeVisible();
    for (const name of ['Validate', 'Edit', 'Delete']) await expectWhole(row.getByRole('button', { name: `${name} Bitbucket (bitbucket.org)` }));
    await expectWhole(row.getByRole('textbox', { name: 'New callback URL' }));
  });
});

test.describe('Smaller layout faults', () => {
  test('the start command is shown whole, with no empty gap under it', async ({ page }) => {
    await signIn(page, 'admin');
    const admin = await signInThroughApi('admin');
    const name = `Start command ${Date.now()}`;
    await page.getByRole('button', { name: 'Set up a new runner' }).click();
    const setup = page.getByRole('dialog', { name: 'Set up a new runner' });
    await setup.getByLabel('Name').fill(name);
    await expect(setup.getByLabel('Public URL')).toHaveValue(/^http:\/\/localhost:\d+$/);
    await setup.getByRole('button', { name: 'Create runner' }).click();
    const command = setup.getByRole('textbox', { name: 'Start command' });
    try {
      for (const viewport of [LAPTOP, PHONE]) {
        await page.setViewportSize(viewport);
        // Every line of the command is in the box: nothing to scroll to, no line cut in half.
        await expect
          .poll(() => command.evaluate((el) => el.scrollHeight - el.clientHeight), { message: `at ${viewport.width} px` })
          .toBeLessThanOrEqual(1);
        // Under it, step 2 follows at the list's own spacing (no room kept for an empty message).
        const field = (await command.boundingBox())!;
        const next = (await setup.getByText(/^When it asks for the runner token/).boundingBox())!;
        expect(next.y - (field.y + field.height), `the gap under the command at ${viewport.width} px`).toBeLessThanOrEqual(24);
      }
    } finally {
      const { runners } = (await (await admin.get('/api/runners')).json()) as { runners: { id: string; name: string }[] };
      const created = runners.find((r) => r.name === name);
      if (created) await admin.delete(`/api/runners/${created.id}`, { headers: { 'x-csrf-token': await csrfTokenOf({ kind: 'api', api: admin }) } });
      await admin.dispose();
    }
  });

  test('the API-token form: Show token stands apart from its field, and the buttons line up with the fields', async ({ page }) => {
    const { runnerId } = await configureBitbucketOnLocalRunner();
    const admin = await signInThroughApi('admin');
    const { integrations } = (await (await admin.get(`/api/runners/${runnerId}/integrations`)).json()) as { integrations: { id: string }[] };
    const turnedOn = await admin.patch(`/api/runners/${runnerId}/integrations/${integrations[0]!.id}`, {
      headers: { 'x-csrf-token': await csrfTokenOf({ kind: 'api', api: admin }) },
      data: { patEnabled: true },
    });
    expect(turnedOn.ok(), await turnedOn.text()).toBe(true);
    await admin.dispose();

    await signIn(page, 'dev');
    await page.goto(`/environments/new?${new URLSearchParams({ contextUrl: 'https://bitbucket.org/acme/widgets' })}`);
    const panel = page.getByRole('region', { name: 'Authorize Bitbucket' });
    await panel.getByRole('button', { name: 'Use an API token instead' }).click();
    for (const viewport of [LAPTOP, PHONE]) {
      await page.setViewportSize(viewport);
      const field = (await panel.getByLabel('API token', { exact: true }).boundingBox())!;
      const show = (await panel.getByRole('button', { name: 'Show token' }).boundingBox())!;
      const apart = show.y >= field.y + field.height ? show.y - (field.y + field.height) : show.x - (field.x + field.width);
      expect(apart, `the space between the token field and Show token at ${viewport.width} px`).toBeGreaterThanOrEqual(6);
      const email = (await panel.getByLabel('Atlassian account e-mail').boundingBox())!;
      const first = (await panel.getByRole('button', { name: 'Use Connect instead' }).boundingBox())!;
      expect(Math.abs(first.x - email.x), `the buttons' left edge against the fields' at ${viewport.width} px`).toBeLessThanOrEqual(1);
    }
  });

  test('on a phone the navigation keeps space above its SETTINGS and DEVELOPERS headings', async ({ page }) => {
    await page.setViewportSize(PHONE);
    await signIn(page, 'admin');
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const [group, above] of [['Settings', 'Environments'], ['Developers', 'Account']] as const) {
      const heading = (await nav.getByText(group, { exact: true }).boundingBox())!;
      const link = (await nav.getByRole('link', { name: above, exact: true }).boundingBox())!;
      expect(heading.y - (link.y + link.height), `space above ${group}`).toBeGreaterThanOrEqual(8);
    }
  });

  test('a toast does not cover an open dialog', async ({ page }) => {
    await configureBitbucketOnLocalRunner();
    await signIn(page, 'admin');
    for (const viewport of [LAPTOP, PHONE]) {
      await page.setViewportSize(viewport);
      const row = await openLocalRunner(page);
      await row.getByRole('button', { name: 'Validate Bitbucket (bitbucket.org)' }).click();
      const toast = page.getByRole('region', { name: /^Notifications/ }).getByRole('listitem').filter({ hasText: 'Bitbucket (bitbucket.org) is valid' });
      await expect(toast).toBeVisible();
      await row.getByRole('button', { name: 'Edit Bitbucket (bitbucket.org)' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit Bitbucket integration' });
      await expect(dialog.getByRole('button', { name: 'Save' })).toBeVisible();
      // The toast is readable and can be dismissed, and it hides no part of the dialog's content.
      await expect(toast).toBeInViewport({ ratio: 1 });
      await expect(dialog.getByRole('button', { name: 'Save' })).toBeInViewport({ ratio: 1 });
      await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeInViewport({ ratio: 1 });
      const box = (await toast.boundingBox())!;
      const onTop = await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.closest('li')?.textContent ?? '', [box.x + box.width / 2, box.y + box.height / 2]);
      expect(onTop, 'nothing is drawn over the toast').toContain('is valid');
      for (const button of [dialog.getByRole('button', { name: 'Save' }), dialog.getByRole('button', { name: 'Cancel' })]) {
        const other = (await button.boundingBox())!;
        const overlaps = box.x < other.x + other.width && other.x < box.x + box.width && box.y < other.y + other.height && other.y < box.y + box.height;
        expect(overlaps, 'the toast lies over a button of the dialog').toBe(false);
      }
      await toast.getByRole('button', { name: 'Dismiss' }).click();
      await expect(toast).toBeHidden();
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
    }
  });
});
