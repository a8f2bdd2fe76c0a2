import fs from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';
import { csrfTokenOf } from './configure-bitbucket.ts';
import { expect, test, signIn, urls } from './fixtures.ts';
import { connectAsAliceInPopup, freePort, InstalledRunner } from './installed-runner.ts';

const REPO_URL = 'https://bitbucket.org/acme/widgets';
const PERMISSIONS = ['account', 'repository', 'repository:write', 'pullrequest', 'issue'];

async function createConsumer(api: APIRequestContext, callbackUrl: string) {
  const res = await api.post(`${urls.bitbucket}/_emulator/consumers`, {
    data: { workspace: 'acme', name: `installed ${Date.now()}`, callbackUrl, permissions: PERMISSIONS, private: false },
  });
  expect(res.ok(), await res.text()).toBe(true);
  return (await res.json()) as { key: string; secret: string };
}

/** As dev: New environment on that runner with the repository URL typed, up to the Authorize panel. */
async function openNewEnvironment(page: Page, runnerName: string) {
  await page.goto('/environments/new');
  await page.getByLabel('Runner').selectOption({ label: runnerName });
  await page.getByLabel('Context URL').fill(REPO_URL);
  const panel = page.getByRole('region', { name: 'Authorize Bitbucket' });
  return panel;
}

async function disconnectAll(page: Page) {
  const list = await page.request.get('/api/git-authentications');
  const { authentications } = (await list.json()) as { authentications: { id: string; runnerId: string }[] };
  const csrf = await csrfTokenOf({ kind: 'browser', browser: page.context() });
  for (const a of authentications) {
    expect((await page.request.delete(`/api/git-authentications/${a.runnerId}/${a.id}`, { headers: { 'x-csrf-token': csrf } })).status()).toBe(204);
  }
}

test.describe('An admin installs a runner on a machine without this repository', () => {
  test.describe.configure({ timeout: 240_000 });
  const installed: InstalledRunner[] = [];
  test.afterEach(async () => {
    for (const r of installed.splice(0)) {
      await r.stop();
      r.remove();
    }
  });

  test('set up with a public URL, start from the downloaded file, add Bitbucket in the same flow, connect, restart, rename, new token, delete', async ({ page, browser }) => {
    const runner = new InstalledRunner();
    installed.push(runner);
    await signIn(page, 'admin');
    await page.goto('/settings/runners');
    await page.getByRole('button', { name: 'Set up a new runner' }).click();
    const setup = page.getByRole('dialog', { name: 'Set up a new runner' });
    const name = `Installed runner ${Date.now()}`;
    await setup.getByLabel('Name').fill(name);
    // A runner on this machine: the dialog suggests a free localhost port.
    await expect(setup.getByLabel('Public URL')).toHaveValue(/^http:\/\/localhost:\d+$/);
    const publicUrl = await setup.getByLabel('Public URL').inputValue();
    await setup.getByRole('button', { name: 'Create runner' }).click();

    const command = await setup.getByRole('textbox', { name: 'Start command' }).inputValue();
    const token = await setup.getByRole('textbox', { name: 'Runner token' }).inputValue();
    expect(command).toContain(`${urls.dashboard}/downloads/runner.mjs`);
    // The digest is in the command itself, not fetched from the server that serves the file.
    expect(command).toMatch(/echo '[0-9a-f]{64} {2}runner\.mjs' \| sha256sum -c -/);
    // The token is pasted at the command's prompt: it never appears in the command (or shell history).
    expect(token).toMatch(/^rct_/);
    expect(command).not.toContain(token);
    expect(command).toContain('--token-file runner.token');
    expect(command).toContain(`RUNNER_PUBLIC_URL=${publicUrl}`);
    expect(command).toContain(`RUNNER_PORT=${new URL(publicUrl).port}`);
    expect(command).not.toContain('npm');

    await test.step('the command downloads, verifies and runs the runner; the open dialog sees it connect', async () => {
      expect(runner.files()).toEqual([]);
      await expect(setup.getByRole('status').filter({ hasText: 'Waiting for the runner’s first connection' })).toBeVisible();
      runner.start(command, token);
      await expect(setup.getByText(/connected after \d+ s/)).toBeVisible({ timeout: 60_000 });
      expect(runner.output).toContain('runner.mjs: OK');
      expect(runner.files()).toEqual(['runner-data', 'runner.mjs', 'runner.token']);
      expect(fs.statSync(path.join(runner.dir, 'runner.token')).mode & 0o777).toBe(0o600);
    });

    let consumer: { key: string; secret: string };
    await test.step('Configure repository access in the same flow, ending on the runner page', async () => {
      // A laptop's window: the runner page opens at its top, with the new integration in view.
      await page.setViewportSize({ width: 1280, height: 800 });
      await setup.getByRole('button', { name: 'Configure repository access' }).click();
      const access = page.getByRole('dialog', { name: 'Configure repository access' });
      await access.getByRole('radio', { name: /^Bitbucket(?! Data Center)/ }).check();
      await expect(access.getByRole('radio', { name: /^Bitbucket(?! Data Center)/ })).toBeChecked();
      // OAuth starts off, as the set-up guide says ("turn on Enable OAuth").
      await access.getByRole('switch', { name: 'Enable OAuth' }).click();
      const callbackUrl = await access.getByRole('textbox', { name: 'Callback URL' }).inputValue();
      expect(callbackUrl).toBe(`${publicUrl}/oauth/callback`);
      consumer = await createConsumer(page.request, callbackUrl);
      await access.getByLabel('Client ID').fill(consumer.key);
      await access.getByLabel('Client Secret').fill(consumer.secret);
      await access.getByRole('button', { name: 'Save' }).click();
      await expect(access).toBeHidden();
      await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
      const row = page.getByRole('table', { name: `Repository access of ${name}` }).getByRole('row', { name: /Bitbucket/ });
      await expect(row.getByText('Valid', { exact: true })).toBeVisible({ timeout: 20_000 });
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      await expect(page.getByRole('banner')).toBeInViewport({ ratio: 1 });
      await expect(row).toBeInViewport({ ratio: 1 });
      // The runner page shows what an admin checks first.
      const details = page.getByRole('region', { name: 'Details' });
      await expect(details.getByText(publicUrl, { exact: true })).toBeVisible();
      await expect(details.getByText('0.1.0')).toBeVisible();
      await expect(details.getByText(/ago|just now/)).toBeVisible();
    });
    const runnerId = new URL(page.url()).pathname.split('/').pop()!;

    const devContext = await browser.newContext();
    const dev = await devContext.newPage();
    try {
      await test.step('a developer connects through that runner', async () => {
        await signIn(dev, 'dev');
        const panel = await openNewEnvironment(dev, name);
        await expect(panel.getByRole('button', { name: 'Connect', exact: true })).toBeVisible();
        await connectAsAliceInPopup(dev);
      });

      await test.step('restarted with the same command, Connect still works', async () => {
        await disconnectAll(dev);
        await runner.stop();
        await expect(page.getByText('inactive').first()).toBeVisible({ timeout: 15_000 });
        runner.start(command, token);
        await expect(page.getByRole('heading', { name, level: 1 }).locator('..').getByText('active', { exact: true })).toBeVisible({ timeout: 60_000 });
        const row = page.getByRole('table', { name: `Repository access of ${name}` }).getByRole('row', { name: /Bitbucket/ });
        await expect(row.getByText('Callback URL changed', { exact: true })).toHaveCount(0);
        await openNewEnvironment(dev, name);
        await connectAsAliceInPopup(dev);
        await disconnectAll(dev);
      });
    } finally {
      await devContext.close();
    }

    await test.step('rename', async () => {
      await page.getByLabel('Runner name').fill(`${name} (renamed)`);
      await page.getByRole('button', { name: 'Rename' }).click();
      await expect(page.getByRole('heading', { name: `${name} (renamed)`, level: 1 })).toBeVisible();
    });

    let newCommand = '';
    let newToken = '';
    await test.step('a new token disconnects the running runner at once, and the old token is refused', async () => {
      await page.getByRole('button', { name: 'New token' }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Make a new runner token?' });
      await confirm.getByRole('button', { name: 'Make a new token' }).click();
      const issued = page.getByRole('dialog', { name: 'New runner token' });
      newCommand = await issued.getByRole('textbox', { name: 'Start command' }).inputValue();
      newToken = await issued.getByRole('textbox', { name: 'Runner token' }).inputValue();
      expect(newToken).not.toBe(token);
      expect(newCommand).not.toContain(newToken);
      expect(newCommand).toContain(`RUNNER_PUBLIC_URL=${publicUrl}`);
      expect(await runner.exitCode).toBe(78);
      expect(runner.output).toContain('runner token revoked');
      await issued.getByRole('button', { name: 'Done' }).click();

      runner.start(command, token);
      await expect.poll(() => runner.output, { timeout: 30_000 }).toContain('The BFF refused the runner token');
      await runner.stop();

      // Same folder, so the same key: the pinned key is still this runner's.
      runner.start(newCommand, newToken);
      await expect(page.getByRole('heading', { name: `${name} (renamed)`, level: 1 }).locator('..').getByText('active', { exact: true })).toBeVisible({ timeout: 60_000 });
    });

    await test.step('delete names what goes with the runner, and the runner erases it', async () => {
      await page.getByRole('button', { name: 'Delete runner' }).click();
      const confirm = page.getByRole('alertdialog', { name: `Delete ${name} (renamed)?` });
      await expect(confirm.getByText('its integration: Bitbucket (bitbucket.org)')).toBeVisible();
      await expect(confirm.getByText('no developer tokens', { exact: true })).toBeVisible();
      await expect(confirm.getByText(/environments/)).toBeVisible();
      await confirm.getByRole('button', { name: 'Delete runner' }).click();
      await expect(page).toHaveURL(/\/settings\/runners$/);
      await expect(page.getByRole('row', { name: new RegExp(name) })).toHaveCount(0);
      expect(await runner.exitCode).toBe(78);
      expect(runner.output).toContain('erased its tokens and workspaces');
      const check = await page.request.get(`/api/runners/${runnerId}`);
      expect(check.status()).toBe(404);
    });
  });

  test('a runner restarted with another public URL shows "Callback URL changed", and Connect tells the developer what to do', async ({ page, browser }) => {
    const runner = new InstalledRunner();
    installed.push(runner);
    await signIn(page, 'admin');
    const csrf = { 'x-csrf-token': await csrfTokenOf({ kind: 'browser', browser: page.context() }) };
    const name = `Moved runner ${Date.now()}`;
    const publicUrl = `http://localhost:${await freePort()}`;
    const created = await page.request.post('/api/runners', { headers: csrf, data: { name, publicUrl } });
    expect(created.status(), await created.text()).toBe(201);
    const { runner: info, startCommand, runnerToken } = (await created.json()) as { runner: { id: string }; startCommand: string; runnerToken: string };
    runner.start(startCommand, runnerToken);
    await page.goto(`/settings/runners/${info.id}`);
    const phase = page.getByRole('heading', { name, level: 1 }).locator('..');
    await expect(phase.getByText('active', { exact: true })).toBeVisible({ timeout: 60_000 });

    const consumer = await createConsumer(page.request, `${publicUrl}/oauth/callback`);
    const added = await page.request.post(`/api/runners/${info.id}/integrations`, {
      headers: csrf,
      data: { provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: true, clientId: consumer.key, oauthPlaintextClientSecret: consumer.secret },
    });
    expect(added.status(), await added.text()).toBe(201);
    // Added through the API, not this page: read the page again rather than wait for the server
    // event. (Once, in CI, the open page did not show a row added this way; the cause is not found.)
    await page.reload();
    const row = page.getByRole('table', { name: `Repository access of ${name}` }).getByRole('row', { name: /Bitbucket/ });
    await expect(row.getByText('Valid', { exact: true })).toBeVisible({ timeout: 20_000 });

    // Someone restarts it with another URL (and port).
    const movedPort = await freePort();
    const movedUrl = `http://localhost:${movedPort}`;
    await runner.stop();
    runner.start(startCommand.replace(`RUNNER_PUBLIC_URL=${publicUrl}`, `RUNNER_PUBLIC_URL=${movedUrl}`).replace(/RUNNER_PORT=\d+/, `RUNNER_PORT=${movedPort}`), runnerToken);
    await expect(row.getByText('Callback URL changed', { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(row.getByRole('textbox', { name: 'New callback URL' })).toHaveValue(`${movedUrl}/oauth/callback`);
    await expect(page.getByRole('alert').filter({ hasText: 'The runner’s public URL changed' })).toBeVisible();
    await row.getByRole('button', { name: /^Validate/ }).click();
    await expect(row.getByText(/Callback URL changed: the runner now answers at/)).toBeVisible();

    const devContext = await browser.newContext();
    const dev = await devContext.newPage();
    try {
      await signIn(dev, 'dev');
      await dev.goto('/environments/new');
      await dev.getByLabel('Runner').selectOption({ label: name });
      await dev.getByLabel('Context URL').fill(REPO_URL);
      const paused = dev.getByRole('alert').filter({ hasText: `Connecting to Bitbucket through ${name} is paused.` });
      await expect(paused).toBeVisible();
      await expect(paused).toContainText('Ask an admin of your organization (admin@acme.test)');
      await expect(dev.getByRole('button', { name: 'Connect', exact: true })).toHaveCount(0);
    } finally {
      await devContext.close();
    }

    // The admin pastes the new URL into the consumer and confirms it.
    await row.getByRole('button', { name: 'I updated the consumer' }).click();
    await expect(row.getByText('Callback URL changed', { exact: true })).toHaveCount(0);
  });
});

test.describe('Runner set-up and management on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the set-up dialog and the runner page fit 390 px without sideways scrolling', async ({ page }) => {
    await signIn(page, 'admin');
    await page.goto('/settings/runners');
    await page.getByRole('button', { name: 'Set up a new runner' }).click();
    const setup = page.getByRole('dialog', { name: 'Set up a new runner' });
    const name = `Phone runner ${Date.now()}`;
    await setup.getByLabel('Name').fill(name);
    await expect(setup.getByLabel('Public URL')).toHaveValue(/^http:\/\/localhost:\d+$/);
    await setup.getByRole('button', { name: 'Create runner' }).click();
    await expect(setup.getByRole('textbox', { name: 'Start command' })).toBeVisible();
    const fits = () =>
      page.evaluate(() => {
        const dialog = document.querySelector('dialog[open]');
        const box = dialog?.getBoundingClientRect();
        const outside = box
          ? Array.from(dialog!.querySelectorAll("*")).filter((el) => {
              const r = el.getBoundingClientRect();
              return r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1);
            }).length
          : 0;
        // The runners table behind the dialog is the page's own (Settings › Runners layout).
        return { dialogInViewport: Boolean(box && box.left >= 0 && box.right <= window.innerWidth), outside };
      });
    expect(await fits()).toEqual({ dialogInViewport: true, outside: 0 });
    await setup.getByRole('button', { name: 'Finish later' }).click();

    await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
    await expect(page.getByText('Waiting for the runner’s first connection')).toBeVisible();
    // Runner › Connections cannot ask a runner that is not connected, and says so.
    await expect(page.getByRole('region', { name: 'Connections', exact: true }).getByText('The runner is offline')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Delete runner' })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);

    // Clean up through the page: delete the runner that never connected.
    await page.getByRole('button', { name: 'Delete runner' }).click();
    const confirm = page.getByRole('alertdialog', { name: `Delete ${name}?` });
    await expect(confirm.getByText(/It is offline, so it cannot count or erase them/)).toBeVisible();
    await confirm.getByRole('button', { name: 'Delete runner' }).click();
    await expect(page).toHaveURL(/\/settings\/runners$/);
    await expect(page.getByText('The runner was offline: remove its data folder on its machine.').first()).toBeVisible();
  });
});
