import type { APIRequestContext, Page } from '@playwright/test';
import { configureBitbucketOnLocalRunner, csrfTokenOf, signInThroughApi } from './configure-bitbucket.ts';
import { expect, test, signIn, urls } from './fixtures.ts';
import { connectAsAliceInPopup, InstalledRunner } from './installed-runner.ts';

// A busy admin double-clicks without thinking. Each create and delete button, clicked twice in a row
// (Playwright's dblclick: two clicks a few ms apart, before the page can re-render), makes exactly one
// thing and shows the right outcome.

const PERMISSIONS = ['account', 'repository', 'repository:write', 'pullrequest', 'issue'];

async function runnersNamed(api: APIRequestContext, name: string) {
  const { runners } = (await (await api.get('/api/runners?limit=100')).json()) as { runners: { id: string; name: string }[] };
  return runners.filter((r) => r.name === name);
}

async function auditActions(api: APIRequestContext, runnerId: string): Promise<string[]> {
  const { entries } = (await (await api.get(`/api/runners/${runnerId}/audit-log`)).json()) as { entries: { action: string }[] };
  return entries.map((e) => e.action);
}

function toasts(page: Page) {
  return page.getByRole('region', { name: /Notifications/ });
}

test.describe('Safe to click twice', () => {
  test.describe.configure({ timeout: 180_000 });
  const installed: InstalledRunner[] = [];
  test.afterEach(async () => {
    for (const r of installed.splice(0)) {
      await r.stop();
      r.remove();
    }
  });

  test('set up a runner, make a new token and delete the connected runner, each with a double click', async ({ page }) => {
    const admin = await signInThroughApi('admin');
    await signIn(page, 'admin');
    await page.goto('/settings/runners');
    await page.getByRole('button', { name: 'Set up a new runner' }).click();
    const setup = page.getByRole('dialog', { name: 'Set up a new runner' });
    const name = `Double click ${Date.now()}`;
    await setup.getByLabel('Name').fill(name);
    await expect(setup.getByLabel('Public URL')).toHaveValue(/^http:\/\/localhost:\d+$/);

    await setup.getByRole('button', { name: 'Create runner' }).dblclick();
    // The set-up dialog still shows the one-time token and the command, not "already exists".
    const token = setup.getByRole('textbox', { name: 'Runner token' });
    await expect(token).toHaveValue(/^rct_/);
    await expect(setup.getByText(/already exists/)).toHaveCount(0);
    const [created] = await runnersNamed(admin, name);
    expect(await runnersNamed(admin, name)).toHaveLength(1);
    const runnerId = created!.id;

    // The token shown is the one that works: the runner started with it connects.
    const runner = new InstalledRunner();
    installed.push(runner);
    runner.start(await setup.getByRole('textbox', { name: 'Start command' }).inputValue(), await token.inputValue());
    await expect(setup.getByText(/connected after \d+ s/)).toBeVisible({ timeout: 60_000 });
    await page.keyboard.press('Escape');
    await page.goto(`/settings/runners/${runnerId}`);
    await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();

    await test.step('New token: one new token, shown once', async () => {
      await page.getByRole('button', { name: 'New token' }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Make a new runner token?' });
      await confirm.getByRole('button', { name: 'Make a new token' }).dblclick();
      const issued = page.getByRole('dialog', { name: 'New runner token' });
      await expect(issued.getByRole('textbox', { name: 'Runner token' })).toHaveValue(/^rct_/);
      expect((await auditActions(admin, runnerId)).filter((a) => a === 'runner.token_replaced')).toHaveLength(1);
      // Restart the runner with the new token, so the delete below finds it connected.
      await runner.stop();
      runner.start(await issued.getByRole('textbox', { name: 'Start command' }).inputValue(), await issued.getByRole('textbox', { name: 'Runner token' }).inputValue());
      await issued.getByRole('button', { name: 'Done' }).click();
      await expect
        .poll(async () => ((await (await admin.get(`/api/runners/${runnerId}`)).json()) as { phase: string }).phase, { timeout: 60_000 })
        .toBe('active');
    });

    await test.step('Delete runner: one delete, the runner erases its data once, and the toast says so', async () => {
      await page.getByRole('button', { name: 'Delete runner' }).click();
      const confirm = page.getByRole('alertdialog', { name: `Delete ${name}?` });
      await expect(confirm.getByText('The runner is told to erase them, then it stops.')).toBeVisible();
      await confirm.getByRole('button', { name: 'Delete runner' }).dblclick();
      await expect(page).toHaveURL(/\/settings\/runners$/);
      await expect(toasts(page).getByText(`${name} deleted.`, { exact: true })).toHaveCount(1);
      await expect(toasts(page).getByText(/The runner erased 0 developer token\(s\) and 0 workspace\(s\)/)).toBeVisible();
      await expect(toasts(page).getByText(/offline/)).toHaveCount(0);
      expect(await runnersNamed(admin, name)).toHaveLength(0);
      await expect.poll(() => (runner.output.match(/erased its tokens and workspaces/g) ?? []).length).toBe(1);
    });
    await admin.dispose();
  });

  test('add Bitbucket with a double click on Save: one integration, one toast', async ({ page }) => {
    const admin = await signInThroughApi('admin');
    await signIn(page, 'admin');
    const { runners } = (await (await admin.get('/api/runners')).json()) as { runners: { id: string; name: string }[] };
    const runnerId = runners.find((r) => r.name === 'Local runner')!.id;
    const csrf = { 'x-csrf-token': await csrfTokenOf({ kind: 'api', api: admin }) };
    const { integrations } = (await (await admin.get(`/api/runners/${runnerId}/integrations`)).json()) as { integrations: { id: string }[] };
    for (const i of integrations) await admin.delete(`/api/runners/${runnerId}/integrations/${i.id}`, { headers: csrf });

    await page.goto(`/settings/runners/${runnerId}`);
    await page.getByRole('button', { name: 'Add a new provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a new provider' });
    await dialog.getByRole('radio', { name: /^Bitbucket(?! Data Center)/ }).check();
    await dialog.getByRole('switch', { name: 'Enable OAuth' }).click();
    const callbackUrl = await dialog.getByRole('textbox', { name: 'Callback URL' }).inputValue();
    const consumer = (await (
      await admin.post(`${urls.bitbucket}/_emulator/consumers`, { data: { workspace: 'acme', name: `double ${Date.now()}`, callbackUrl, permissions: PERMISSIONS, private: false } })
    ).json()) as { key: string; secret: string };
    await dialog.getByLabel('Client ID').fill(consumer.key);
    await dialog.getByLabel('Client Secret').fill(consumer.secret);
    await dialog.getByRole('button', { name: 'Save' }).dblclick();
    await expect(dialog).toBeHidden({ timeout: 20_000 });
    await expect(toasts(page).getByText('Bitbucket added to Local runner', { exact: true })).toHaveCount(1);
    const after = (await (await admin.get(`/api/runners/${runnerId}/integrations`)).json()) as { integrations: unknown[] };
    expect(after.integrations).toHaveLength(1);
    expect((await auditActions(admin, runnerId)).filter((a) => a === 'integration.created').length).toBeGreaterThanOrEqual(1);
    await expect(page.getByRole('alert')).toHaveCount(0);
    await admin.dispose();
  });

  test('create and delete an environment with double clicks: one environment, then none', async ({ page }) => {
    await configureBitbucketOnLocalRunner();
    await signIn(page, 'dev');
    const before = ((await (await page.request.get('/api/environments')).json()) as { environments: unknown[] }).environments.length;
    await page.goto('/environments/new');
    await page.getByLabel('Context URL').fill('https://bitbucket.org/acme/widgets/src/main/');
    await connectAsAliceInPopup(page);
    await page.getByRole('button', { name: 'Create environment' }).dblclick();
    await expect(page).toHaveURL(/\/environments\/[^/]+$/, { timeout: 30_000 });
    await expect(page.getByText('Ready', { exact: true })).toBeVisible({ timeout: 30_000 });
    const after = ((await (await page.request.get('/api/environments')).json()) as { environments: unknown[] }).environments.length;
    expect(after).toBe(before + 1);

    await page.getByRole('button', { name: 'Delete environment' }).click();
    const confirm = page.getByRole('alertdialog', { name: /^Delete acme\/widgets\?$/ });
    await confirm.getByRole('button', { name: 'Delete environment' }).dblclick();
    await expect(page).toHaveURL(/\/environments$/);
    await expect(page.getByText('Local runner removed its workspace.', { exact: false }).first()).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
    const last = ((await (await page.request.get('/api/environments')).json()) as { environments: unknown[] }).environments.length;
    expect(last).toBe(before);

    await test.step('Disconnect with a double click: gone, no error', async () => {
      await page.getByRole('link', { name: 'Git authentications' }).click();
      const row = page.getByRole('row', { name: /Bitbucket/ });
      await row.getByRole('button', { name: /^Disconnect/ }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Disconnect Bitbucket?' });
      await dialog.getByRole('button', { name: 'Disconnect' }).dblclick();
      await expect(page.getByText('No connections yet')).toBeVisible();
      await expect(page.getByRole('alert')).toHaveCount(0);
    });
  });
});
