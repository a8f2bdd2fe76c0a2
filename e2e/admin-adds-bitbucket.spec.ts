import AxeBuilder from '@axe-core/playwright';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page, Request } from '@playwright/test';
import { expect, test, dataDir, signIn, urls } from './fixtures.ts';

// The journey of issue 4: an org admin gives Local runner access to Bitbucket through the
// "Add a new provider" modal, against the Bitbucket emulator, and the client secret never
// leaves the browser except encrypted to the runner.

const BITBUCKET = 'Bitbucket (bitbucket.org)';
const SCOPES = ['account', 'repository', 'repository:write', 'pullrequest', 'issue'];

type Consumer = { key: string; secret: string };

/** Workspace settings › OAuth consumers › Add consumer, through the emulator's test API. */
async function createConsumer(callbackUrl: string): Promise<Consumer> {
  const response = await fetch(`${urls.bitbucket}/_emulator/consumers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      workspace: 'acme',
      name: `Runner Console e2e ${Date.now()}`,
      callbackUrl,
      permissions: SCOPES,
      private: false,
    }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as Consumer;
}

/** Headers for a write through the BFF's API with the signed-in browser's cookies. */
async function csrfHeaders(page: Page): Promise<Record<string, string>> {
  const cookies = await page.context().cookies();
  const csrf = cookies.find(
    (cookie) => cookie.name === 'rc_csrf' || cookie.name === '__Host-rc_csrf',
  );
  expect(csrf, 'the CSRF cookie is set once signed in').toBeDefined();
  return { 'x-csrf-token': decodeURIComponent(csrf!.value) };
}

async function localRunnerId(page: Page): Promise<string> {
  const response = await page.request.get('/api/runners');
  expect(response.ok()).toBe(true);
  const { runners } = (await response.json()) as { runners: { id: string; name: string }[] };
  const runner = runners.find((candidate) => candidate.name === 'Local runner');
  expect(runner, 'the seeded Local runner exists').toBeDefined();
  return runner!.id;
}

/** Each test starts from a runner without integrations, whatever ran before it. */
async function removeIntegrations(page: Page, runnerId: string): Promise<void> {
  const response = await page.request.get(`/api/runners/${runnerId}/integrations`);
  const { integrations } = (await response.json()) as { integrations: { id: string }[] };
  const headers = await csrfHeaders(page);
  for (const { id } of integrations) {
    const deleted = await page.request.delete(`/api/runners/${runnerId}/integrations/${id}`, {
      headers,
    });
    expect(deleted.status()).toBe(204);
  }
}

/** Sets up Bitbucket the way an API client would (plaintext secret, sealed by the BFF). */
async function addBitbucketThroughApi(page: Page, runnerId: string): Promise<Consumer> {
  const schema = await page.request.get(`/api/runners/${runnerId}/configuration-schema`);
  const { providers } = (await schema.json()) as {
    providers: { id: string; callbackUrl: string | null }[];
  };
  const callbackUrl = providers.find((provider) => provider.id === 'bitbucket')!.callbackUrl!;
  const consumer = await createConsumer(callbackUrl);
  const created = await page.request.post(`/api/runners/${runnerId}/integrations`, {
    headers: await csrfHeaders(page),
    data: {
      provider: 'bitbucket',
      host: 'bitbucket.org',
      oauthEnabled: true,
      clientId: consumer.key,
      oauthPlaintextClientSecret: consumer.secret,
    },
  });
  expect(created.status()).toBe(201);
  return consumer;
}

/** Signs in as the admin and leaves Local runner with exactly one Bitbucket integration (made through the API). */
async function signInWithOneBitbucketOnLocalRunner(page: Page): Promise<Consumer> {
  await signIn(page, 'admin');
  const runnerId = await localRunnerId(page);
  await removeIntegrations(page, runnerId);
  return addBitbucketThroughApi(page, runnerId);
}

async function openLocalRunner(page: Page): Promise<void> {
  await page.goto('/settings/runners');
  await page.getByRole('link', { name: 'Local runner' }).click();
  await expect(page.getByRole('heading', { name: 'Local runner', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Configure repository access' })).toBeVisible();
}

async function expectNoAccessibilityViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(
    violations.map(
      (violation) =>
        `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    ),
  ).toEqual([]);
}

/** The Bitbucket row of the runner's integrations table (not of the audit log). */
function bitbucketRow(page: Page): Locator {
  return page
    .getByRole('table', { name: 'Repository access of Local runner' })
    .getByRole('row', { name: /Bitbucket/ });
}

/** Every file below `dir`, recursively. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? listFiles(full) : Promise.resolve(entry.isFile() ? [full] : []);
    }),
  );
  return nested.flat();
}

/** What the browser sent: URL, headers and body of every request. */
function describeRequest(request: Request): string {
  return [
    request.method(),
    request.url(),
    JSON.stringify(request.headers()),
    request.postData() ?? '',
  ].join('\n');
}

test.describe('Configure repository access › Add a new provider', () => {
  test('an admin adds Bitbucket, validates it, and a wrong secret shows as such; the secret is only ever sent encrypted', async ({
    page,
  }) => {
    const sent: Request[] = [];
    page.on('request', (request) => sent.push(request));

    await signIn(page, 'admin');
    const runnerId = await localRunnerId(page);
    await removeIntegrations(page, runnerId);

    await openLocalRunner(page);
    await expect(page.getByText('No repository access configured yet.')).toBeVisible();
    await expectNoAccessibilityViolations(page);

    const dialog = page.getByRole('dialog', { name: 'Add a new provider' });
    let consumer: Consumer;
    await test.step('fill the modal by following what it says', async () => {
      await page.getByRole('button', { name: 'Add a new provider' }).click();
      await expect(dialog).toBeVisible();
      // The picker starts on the first supported provider in its order (GitHub); the admin picks Bitbucket.
      await expect(dialog.getByRole('radio', { name: 'GitHub', exact: true })).toBeChecked();
      await dialog.getByRole('radio', { name: /^Bitbucket(?! Data Center)/ }).check();
      await expect(dialog.getByRole('radio', { name: /^Bitbucket(?! Data Center)/ })).toBeChecked();
      for (const available of ['GitHub', 'GitLab', 'Bitbucket Data Center', 'Azure DevOps']) {
        await expect(dialog.getByRole('radio', { name: new RegExp(`^${available}`) })).toBeEnabled();
      }
      await expect(dialog.getByText('Not available yet')).toHaveCount(0);
      await expect(dialog.getByRole('textbox', { name: 'Host' })).toHaveValue('bitbucket.org');
      // OAuth starts off, as the guide says ("turn on Enable OAuth"), and Save says why it needs it.
      const oauth = dialog.getByRole('switch', { name: 'Enable OAuth' });
      await expect(oauth).not.toBeChecked();
      await expect(dialog.getByRole('button', { name: 'Save' })).toBeDisabled();
      await expect(dialog.getByText(/^Save needs a way for developers to connect to Bitbucket/)).toBeVisible();
      await expect(dialog.getByRole('complementary', { name: 'Step-by-step help' })).toContainText('turn on Enable OAuth');
      await oauth.click();
      await expect(oauth).toBeChecked();
      await expect(dialog.getByText(/^Save needs a way for developers to connect/)).toHaveCount(0);
      const help = dialog.getByRole('complementary', { name: 'Step-by-step help' });
      for (const scope of SCOPES)
        await expect(help.getByText(scope, { exact: true })).toBeVisible();
      await expect(help.getByRole('link', { name: /documentation/ })).toHaveAttribute(
        'target',
        '_blank',
      );
      await expectNoAccessibilityViolations(page);

      const callbackUrl = await dialog.getByRole('textbox', { name: 'Callback URL' }).inputValue();
      expect(callbackUrl).toBe(`${urls.runner}/oauth/callback`);
      consumer = await createConsumer(callbackUrl);

      await dialog.getByLabel('Client ID').fill(consumer.key);
      await dialog.getByLabel('Client Secret').fill(consumer.secret);
      await expect(dialog.getByLabel('Client Secret')).toHaveAttribute('type', 'password');
      await dialog.getByRole('button', { name: 'Save' }).click();
    });

    await test.step('the runner checked the Key and Secret before the modal closed; a toast says so', async () => {
      await expect(dialog).toBeHidden({ timeout: 20_000 });
      const toast = page.getByRole('region', { name: /Notifications/ });
      await expect(toast.getByText('Bitbucket added to Local runner', { exact: true })).toBeVisible();
      await expect(toast.getByText('Bitbucket accepted the Key and Secret.')).toBeVisible();
      await expect(page.getByText(/Validating…/)).toHaveCount(0);
      const row = bitbucketRow(page);
      await expect(row).toContainText(consumer.key);
      await expect(row).toContainText('admin@acme.test');
      await expect(row.getByText('Valid', { exact: true })).toBeVisible();
    });

    await test.step('Validate proves it again', async () => {
      await page.getByRole('button', { name: `Validate ${BITBUCKET}` }).click();
      await expect(bitbucketRow(page).getByText('Valid', { exact: true })).toBeVisible({
        timeout: 20_000,
      });
    });

    const wrongSecret = `wrong-secret-${Date.now()}`;
    await test.step('a wrong secret is refused in the modal, which stays open, and the working one stays in force', async () => {
      await page.getByRole('button', { name: `Edit ${BITBUCKET}` }).click();
      const edit = page.getByRole('dialog', { name: 'Edit Bitbucket integration' });
      await expect(edit).toBeVisible();
      await expect(edit.getByLabel('Client ID')).toHaveValue(consumer.key);
      const secret = edit.getByLabel('Client Secret');
      await expect(secret).toHaveValue('');
      await expect(secret).toHaveAttribute('placeholder', /unchanged/);
      await secret.fill(wrongSecret);
      await edit.getByRole('button', { name: 'Save' }).click();
      await expect(edit.getByText(/^Bitbucket refused this Key and Secret\..* the current Key and Secret stay in force\.$/)).toBeVisible({ timeout: 20_000 });
      await expect(secret).toHaveAttribute('aria-invalid', 'true');
      await expect(secret).toBeFocused();
      await expect(edit).toBeVisible();
      await expect(bitbucketRow(page).getByText('Valid', { exact: true })).toBeVisible();
      await edit.getByRole('button', { name: 'Cancel' }).click();
      await expect(edit).toBeHidden();
      // The old secret is still the one the runner uses: validating it again says Valid.
      await page.getByRole('button', { name: `Validate ${BITBUCKET}` }).click();
      await expect(bitbucketRow(page).getByText('Valid', { exact: true })).toBeVisible({ timeout: 20_000 });
      await expect(bitbucketRow(page).getByText('Wrong key or secret')).toHaveCount(0);
    });

    await test.step('the audit log says who changed what, without secrets', async () => {
      const log = page.getByRole('table', { name: 'Audit log' });
      await expect(log).toContainText(`added ${BITBUCKET}`);
      await expect(log).toContainText(`entered a Key and Secret for ${BITBUCKET} that were refused; the current ones stayed`);
      await expect(log).not.toContainText('replaced the secret');
      await expect(log).not.toContainText(consumer.secret);
    });

    await test.step('the plaintext secret was in no request the browser sent', async () => {
      const writes = sent.filter(
        (request) =>
          /\/integrations(\/|$)/.test(new URL(request.url()).pathname) &&
          request.method() !== 'GET',
      );
      const create = writes.find(
        (request) => request.method() === 'POST' && request.url().endsWith('/integrations'),
      );
      expect(create, 'the browser sent the create request').toBeDefined();
      const body = JSON.parse(create!.postData() ?? '{}') as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual([
        'clientId',
        'host',
        'oauthClientSecretEnvelope',
        'oauthEnabled',
        'patEnabled',
        'provider',
      ]);
      expect(String(body.oauthClientSecretEnvelope).split('.')).toHaveLength(5); // a compact JWE
      expect(writes.some((request) => request.method() === 'PATCH')).toBe(true);

      expect(sent.length).toBeGreaterThan(5);
      for (const request of sent) {
        const text = describeRequest(request);
        expect(text, request.url()).not.toContain(consumer.secret);
        expect(text, request.url()).not.toContain(wrongSecret);
      }
    });

    await test.step('nor in any file of the BFF data folder or line of its log', async () => {
      const files = await listFiles(path.resolve(dataDir, 'bff'));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const content = await readFile(file, 'latin1');
        expect(content.includes(consumer.secret), file).toBe(false);
        expect(content.includes(wrongSecret), file).toBe(false);
      }
      const log = await readFile(path.resolve(dataDir, 'logs', 'bff.log'), 'latin1');
      for (const line of log.split('\n')) {
        expect(line.includes(consumer.secret)).toBe(false);
        expect(line.includes(wrongSecret)).toBe(false);
      }
    });
  });

  test("the runner page, its modals and toasts run under the dashboard's CSP without a violation", async ({ page }) => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await signInWithOneBitbucketOnLocalRunner(page);
    await openLocalRunner(page);

    await page.getByRole('button', { name: `Edit ${BITBUCKET}` }).click();
    const modal = page.getByRole('dialog', { name: 'Edit Bitbucket integration' });
    await expect(modal.getByRole('switch', { name: 'Enable OAuth' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(modal).toBeHidden();

    await page.getByRole('button', { name: 'Rotate key' }).click();
    const confirm = page.getByRole('alertdialog', { name: /Rotate this runner/ });
    await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(confirm).toBeHidden();

    // Deleting ends with a toast (Radix Toast, loaded with the first one).
    await page.getByRole('button', { name: `Delete ${BITBUCKET}` }).click();
    await page.getByRole('alertdialog', { name: 'Delete Bitbucket integration?' }).getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByText(`${BITBUCKET} deleted from Local runner.`, { exact: true })).toBeVisible();
    expect(violations).toEqual([]);
  });

  test('a click outside the modal does not close it, so nothing typed is lost', async ({ page }) => {
    await signIn(page, 'admin');
    const runnerId = await localRunnerId(page);
    await removeIntegrations(page, runnerId);
    await openLocalRunner(page);

    await page.getByRole('button', { name: 'Add a new provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a new provider' });
    await dialog.getByRole('switch', { name: 'Enable OAuth' }).click();
    await dialog.getByLabel('Client ID').fill('typed-before-a-stray-click');
    await page.mouse.click(5, 5);
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel('Client ID')).toHaveValue('typed-before-a-stray-click');
    // × asks first, as something was typed.
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('alertdialog', { name: 'Discard the Key and Secret you typed?' }).getByRole('button', { name: 'Discard and close' }).click();
    await expect(dialog).toBeHidden();
  });

  test('the whole modal works with the keyboard alone', async ({ page }) => {
    await signIn(page, 'admin');
    const runnerId = await localRunnerId(page);
    await removeIntegrations(page, runnerId);
    await openLocalRunner(page);

    const addButton = page.getByRole('button', { name: 'Add a new provider' });
    const dialog = page.getByRole('dialog', { name: 'Add a new provider' });

    await test.step('Enter opens, Escape closes and focus goes back to the button', async () => {
      await addButton.focus();
      await page.keyboard.press('Enter');
      await expect(dialog).toBeVisible();
      await expect(dialog.getByRole('radio', { name: 'GitHub', exact: true })).toBeFocused();
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
      await expect(addButton).toBeFocused();
    });

    await addButton.focus();
    await page.keyboard.press('Enter');
    await expect(dialog.getByRole('radio', { name: 'GitHub', exact: true })).toBeFocused();
    // The arrow keys move through the providers in the picker's order (GitHub, GitLab, Bitbucket, …).
    await page.keyboard.press('ArrowDown');
    await expect(dialog.getByRole('radio', { name: 'GitLab', exact: true })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(dialog.getByRole('radio', { name: /^Bitbucket(?! Data Center)/ })).toBeFocused();
    await expect(dialog.getByRole('radio', { name: /^Bitbucket(?! Data Center)/ })).toBeChecked();

    await test.step('Tab reaches every control in order; a Data Center URL gets a clear answer', async () => {
      await page.keyboard.press('Tab');
      await expect(dialog.getByRole('textbox', { name: 'Host' })).toBeFocused();
      await page.keyboard.press('Tab');
      const dataCenter = dialog.getByText('Using Bitbucket Data Center?');
      await expect(dataCenter).toBeFocused();
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      await expect(dialog.getByLabel('Your Bitbucket URL')).toBeFocused();
      await page.keyboard.type('https://bitbucket.example.com/projects/ACME');
      await expect(
        dialog.getByText(/For a self-hosted Bitbucket \(Data Center\), choose Bitbucket Data Center in the provider list/),
      ).toBeVisible();
      await page.keyboard.press('Tab');
      await expect(dialog.getByRole('switch', { name: 'Enable OAuth' })).toBeFocused();

      // Off at first: the modal says why Save is disabled; Space turns it on and the form comes.
      await expect(dialog.getByRole('switch', { name: 'Enable OAuth' })).not.toBeChecked();
      await expect(dialog.getByText(/^Save needs a way for developers to connect to Bitbucket/)).toBeVisible();
      await expect(dialog.getByRole('button', { name: 'Save' })).toBeDisabled();
      await page.keyboard.press('Space');
      await expect(dialog.getByRole('switch', { name: 'Enable OAuth' })).toBeChecked();
      await expect(dialog.getByRole('button', { name: 'Save' })).toBeEnabled();

      await page.keyboard.press('Tab');
      await expect(dialog.getByRole('textbox', { name: 'Callback URL' })).toBeFocused();
      await page.keyboard.press('Tab');
      await expect(dialog.getByRole('button', { name: /^Copy/ })).toBeFocused();
      await page.keyboard.press('Tab');
      await expect(dialog.getByLabel('Client ID')).toBeFocused();
    });

    await test.step('submitting empty shows the field errors', async () => {
      await page.keyboard.press('Enter');
      await expect(dialog.getByText('Enter the Client ID (Bitbucket calls it Key).')).toBeVisible();
      await expect(
        dialog.getByText('Enter the Client Secret (Bitbucket calls it Secret).'),
      ).toBeVisible();
      await expect(dialog.getByLabel('Client ID')).toBeFocused();
    });

    const callbackUrl = await dialog.getByRole('textbox', { name: 'Callback URL' }).inputValue();
    const consumer = await createConsumer(callbackUrl);

    await test.step('type the key and secret, show and hide it, submit with Enter', async () => {
      await page.keyboard.type(consumer.key);
      await page.keyboard.press('Tab');
      const secret = dialog.getByLabel('Client Secret');
      await expect(secret).toBeFocused();
      await page.keyboard.type(consumer.secret);
      await page.keyboard.press('Tab');
      await expect(dialog.getByRole('button', { name: 'Show secret' })).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(secret).toHaveAttribute('type', 'text');
      await expect(dialog.getByRole('button', { name: 'Hide secret' })).toBeFocused();
      await page.keyboard.press('Space');
      await expect(secret).toHaveAttribute('type', 'password');
      await page.keyboard.press('Shift+Tab');
      await expect(secret).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(dialog).toBeHidden({ timeout: 20_000 });
      await expect(addButton).toBeFocused();
      await expect(bitbucketRow(page).getByText('Valid', { exact: true })).toBeVisible();
    });
  });

  test('the runner page and the open modal have no accessibility violations with an integration listed', async ({
    page,
  }) => {
    await signInWithOneBitbucketOnLocalRunner(page);
    await openLocalRunner(page);
    await expect(bitbucketRow(page).getByText('Valid', { exact: true })).toBeVisible({
      timeout: 20_000,
    });
    await expect(page.getByRole('table', { name: 'Audit log' })).toContainText(
      `added ${BITBUCKET}`,
    );
    await expectNoAccessibilityViolations(page);

    await page.getByRole('button', { name: `Edit ${BITBUCKET}` }).click();
    await expect(page.getByRole('dialog', { name: 'Edit Bitbucket integration' })).toBeVisible();
    await expectNoAccessibilityViolations(page);
  });

  test('Add a new provider on a runner that has Bitbucket offers to edit it instead of a form Save would refuse', async ({
    page,
  }) => {
    const consumer = await signInWithOneBitbucketOnLocalRunner(page);
    await openLocalRunner(page);

    await page.getByRole('button', { name: 'Add a new provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a new provider' });
    await dialog.getByRole('radio', { name: /^Bitbucket(?! Data Center)/ }).check();
    await expect(dialog.getByRole('radio', { name: /^Bitbucket(?! Data Center)/ })).toBeChecked();
    await expect(dialog.getByText('Already added')).toBeVisible();
    await expect(dialog.getByText('Local runner already has a Bitbucket integration for bitbucket.org.')).toBeVisible();
    // Nothing to fill in that Save would only refuse.
    await expect(dialog.getByRole('switch', { name: 'Enable OAuth' })).toHaveCount(0);
    await expect(dialog.getByRole('button', { name: 'Save' })).toBeDisabled();
    await expectNoAccessibilityViolations(page);

    await dialog.getByRole('button', { name: 'Edit the Bitbucket integration' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Bitbucket integration' });
    await expect(edit).toBeVisible();
    await expect(edit.getByLabel('Client ID')).toHaveValue(consumer.key);
    await expect(edit.getByLabel('Client ID')).toBeFocused();
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await expect(edit).toBeHidden();
    await expect(bitbucketRow(page)).toHaveCount(1);
  });

  test('Escape asks before it throws away a typed Key and Secret, and only then', async ({ page }) => {
    await signIn(page, 'admin');
    await removeIntegrations(page, await localRunnerId(page));
    await openLocalRunner(page);
    const addButton = page.getByRole('button', { name: 'Add a new provider' });
    const dialog = page.getByRole('dialog', { name: 'Add a new provider' });
    const confirm = page.getByRole('alertdialog', { name: 'Discard the Key and Secret you typed?' });

    // Nothing typed: Escape closes at once.
    await addButton.click();
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(confirm).toHaveCount(0);

    await addButton.click();
    await dialog.getByRole('switch', { name: 'Enable OAuth' }).click();
    await dialog.getByLabel('Client ID').fill('a-key-i-pasted');
    await dialog.getByLabel('Client Secret').fill('a-secret-i-pasted');
    await page.keyboard.press('Escape');
    await expect(confirm).toBeVisible();
    await expect(confirm.getByRole('button', { name: 'Keep editing' })).toBeFocused();
    await expectNoAccessibilityViolations(page);

    // Escape in the question keeps editing, with everything still there.
    await page.keyboard.press('Escape');
    await expect(confirm).toBeHidden();
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel('Client ID')).toHaveValue('a-key-i-pasted');
    await expect(dialog.getByLabel('Client Secret')).toHaveValue('a-secret-i-pasted');

    // × asks too; Discard closes, and focus goes back to the button.
    await dialog.getByRole('button', { name: 'Close' }).click();
    await confirm.getByRole('button', { name: 'Discard and close' }).click();
    await expect(dialog).toBeHidden();
    await expect(confirm).toBeHidden();
    await expect(addButton).toBeFocused();
  });

  test('× Close is the first Tab stop, as it is drawn first', async ({ page }) => {
    await signIn(page, 'admin');
    await removeIntegrations(page, await localRunnerId(page));
    await openLocalRunner(page);
    await page.getByRole('button', { name: 'Add a new provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a new provider' });
    // Opening still starts on what the dialog is for: the chosen provider.
    await expect(dialog.getByRole('radio', { name: 'GitHub', exact: true })).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(dialog.getByRole('radio', { name: 'GitHub', exact: true })).toBeFocused();
  });

  test('at 390 px a refused Save brings its first error into view, clear of the footer, and focuses the field', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, 'admin');
    await removeIntegrations(page, await localRunnerId(page));
    await openLocalRunner(page);
    await page.getByRole('button', { name: 'Add a new provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a new provider' });
    await dialog.getByRole('switch', { name: 'Enable OAuth' }).click();
    await dialog.getByLabel('Client ID').fill('not-a-consumer');
    const secret = dialog.getByLabel('Client Secret');
    await secret.fill('not-its-secret');
    // Back to the top, as after reading the help: the refusal must come to the person.
    await dialog.getByRole('radio', { name: /^Bitbucket(?! Data Center)/ }).focus();
    await dialog.getByRole('button', { name: 'Save' }).click();

    await expect(secret).toHaveAttribute('aria-invalid', 'true', { timeout: 20_000 });
    await expect(secret).toBeFocused();
    const error = dialog.locator(`#${await secret.getAttribute('id')}-error`);
    await expect(error).toBeVisible();
    const footer = dialog.locator('.dialog__footer');
    const [fieldBox, errorBox, footerBox] = await Promise.all([secret.boundingBox(), error.boundingBox(), footer.boundingBox()]);
    expect(fieldBox!.y).toBeGreaterThanOrEqual(0);
    expect(errorBox!.y + errorBox!.height).toBeLessThanOrEqual(footerBox!.y);
  });

  test('turning OAuth off warns first; Delete asks for confirmation and removes the row', async ({
    page,
  }) => {
    await signInWithOneBitbucketOnLocalRunner(page);
    await openLocalRunner(page);

    await page.getByRole('button', { name: `Edit ${BITBUCKET}` }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Bitbucket integration' });
    await edit.getByRole('switch', { name: 'Enable OAuth' }).click();
    await expect(
      edit.getByText(
        'Every developer who connected through this OAuth app must connect again. Their tokens are deleted from the runner.',
      ),
    ).toBeVisible();
    // An integration needs a way to connect: with OAuth off, Save waits for tokens to be on.
    await expect(edit.getByRole('button', { name: 'Turn off OAuth and save' })).toBeDisabled();
    await edit.getByRole('switch', { name: 'Enable personal access tokens' }).click();
    await edit.getByRole('button', { name: 'Turn off OAuth and save' }).click();
    await expect(edit).toBeHidden();
    const row = bitbucketRow(page);
    await expect(row.getByRole('cell', { name: 'Off', exact: true })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Audit log' })).toContainText(
      `changed ${BITBUCKET}: turned OAuth off`,
    );

    await page.getByRole('button', { name: `Delete ${BITBUCKET}` }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete Bitbucket integration?' });
    await expect(confirm).toContainText('Their tokens are deleted from the runner.');
    await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByText('No repository access configured yet.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Add a new provider' })).toBeFocused();
    await expect(page.getByRole('table', { name: 'Audit log' })).toContainText(
      `deleted ${BITBUCKET}`,
    );
  });

  test('a runner that has not registered its key yet says so instead of showing the form', async ({
    page,
  }) => {
    await signIn(page, 'admin');
    const created = await page.request.post('/api/runners', {
      headers: await csrfHeaders(page),
      data: { name: `Not started yet ${Date.now()}` },
    });
    expect(created.status()).toBe(201);
    const { runner } = (await created.json()) as { runner: { id: string; name: string } };

    await page.goto(`/settings/runners/${runner.id}`);
    await expect(page.getByRole('heading', { name: runner.name, level: 1 })).toBeVisible();
    await page.getByRole('button', { name: 'Add a new provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a new provider' });
    await expect(
      dialog.getByText('This runner has not registered its key yet, so it cannot receive secrets.'),
    ).toBeVisible();
    await expect(dialog.getByRole('link', { name: 'Settings › Runners' })).toBeVisible();
    await expect(dialog.getByLabel('Client Secret')).toHaveCount(0);
    await expectNoAccessibilityViolations(page);
    await dialog.getByRole('button', { name: 'Close', exact: true }).first().click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('button', { name: 'Add a new provider' })).toBeFocused();
  });

  test('a member sees the list without client IDs and without admin actions', async ({ page }) => {
    const consumer = await signInWithOneBitbucketOnLocalRunner(page);
    await page.context().clearCookies();

    await signIn(page, 'dev');
    await openLocalRunner(page);
    const row = bitbucketRow(page);
    await expect(row).toBeVisible();
    await expect(row).toContainText('bitbucket.org');
    await expect(page.getByRole('columnheader', { name: 'Client ID' })).toHaveCount(0);
    await expect(page.getByText(consumer.key)).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Add a new provider' })).toHaveCount(0);
    for (const action of ['Validate', 'Edit', 'Delete']) {
      await expect(page.getByRole('button', { name: `${action} ${BITBUCKET}` })).toHaveCount(0);
    }
    await expect(page.getByRole('heading', { name: 'Audit log' })).toHaveCount(0);
  });
});
