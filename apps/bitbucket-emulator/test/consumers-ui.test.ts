import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserClient, readHiddenFields, readInputs } from '@runner-console/emulator-kit/testing';
import { startEmulator, type RunningEmulator } from './emulator-harness.ts';
import { requestToken, signIn } from './oauth-flow.ts';

const CONSUMERS = '/acme/workspace/settings/oauth-consumers';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.close();
});

async function aliceBrowser(): Promise<BrowserClient> {
  const browser = new BrowserClient(emulator.baseUrl);
  await signIn(browser, 'alice');
  return browser;
}

function readInputValue(page: string, id: string): string {
  return readInputs(page).find((input) => input.id === id)?.value ?? '';
}

describe('Workspace settings › OAuth consumers', () => {
  it('sends a signed-out browser to the log-in page and back', async () => {
    const browser = new BrowserClient(emulator.baseUrl);
    const response = await browser.get(`${CONSUMERS}/new`);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '', emulator.baseUrl);
    expect(location.pathname).toBe('/account/signin/');
    expect(location.searchParams.get('next')).toBe(`${CONSUMERS}/new`);
  });

  it("shows Bitbucket's form with labelled permissions", async () => {
    const browser = await aliceBrowser();
    const response = await browser.get(`${CONSUMERS}/new`);
    expect(response.status).toBe(200);
    const page = await response.text();
    for (const label of ['Name', 'Callback URL', 'This is a private consumer'])
      expect(page).toContain(`">${label}</label>`);
    for (const legend of [
      'Account',
      'Workspace membership',
      'Projects',
      'Repositories',
      'Pull requests',
      'Issues',
      'Wikis',
      'Snippets',
      'Webhooks',
      'Pipelines',
      'Runners',
    ]) {
      expect(page).toContain(`<legend>${legend}</legend>`);
    }
    expect(page).toContain('value="repository:write"');
    expect(page).toContain('value="runner:write"');
    expect(page).not.toContain('<script');
  });

  it('adds a consumer and shows its Key and Secret, which then work', async () => {
    const browser = await aliceBrowser();
    const form = await browser.get(`${CONSUMERS}/new`);
    const saved = await browser.postForm(`${CONSUMERS}/new`, {
      ...readHiddenFields(await form.text()),
      name: 'UI consumer',
      description: 'Made in the test',
      callback_url: 'http://127.0.0.1:9/cb',
      url: '',
      is_private: 'on',
      permissions: ['account', 'pullrequest'],
    });
    expect(saved.status).toBe(302);
    const details = await browser.followRedirects(saved);
    expect(details.status).toBe(200);
    const page = await details.text();
    expect(page).toContain('<label for="consumer-key">Key</label>');
    expect(page).toContain('<label for="consumer-secret">Secret</label>');
    const key = readInputValue(page, 'consumer-key');
    const secret = readInputValue(page, 'consumer-secret');
    expect(key).toMatch(/^[A-Za-z0-9]{18}$/);
    expect(secret).toMatch(/^[A-Za-z0-9]{32}$/);

    const token = await requestToken(
      emulator.baseUrl,
      { key, secret },
      { grant_type: 'client_credentials' },
    );
    expect(await token.json()).toMatchObject({ scope: 'email account repository pullrequest' });

    const list = await (await browser.get(CONSUMERS)).text();
    expect(list).toContain('UI consumer');
    expect(list).toContain(key);
  });

  it('shows field errors and keeps what was typed', async () => {
    const browser = await aliceBrowser();
    const form = await browser.get(`${CONSUMERS}/new`);
    const response = await browser.postForm(`${CONSUMERS}/new`, {
      ...readHiddenFields(await form.text()),
      name: '',
      callback_url: 'not a url',
      permissions: ['account'],
    });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('role="alert"');
    expect(page).toContain('Enter a name.');
    expect(page).toContain('Enter a full http:// or https:// URL.');
    expect(page).toContain('value="not a url"');
    const permissions = readInputs(page).filter((input) => input.name === 'permissions');
    expect(permissions.filter((input) => 'checked' in input).map((input) => input.value)).toEqual([
      'account',
    ]);
  });

  it('refuses a form without the CSRF token', async () => {
    const browser = await aliceBrowser();
    const response = await browser.postForm(`${CONSUMERS}/new`, {
      name: 'Forged',
      csrf_token: 'nope',
    });
    expect(response.status).toBe(403);
  });

  it("answers 404 to a user who does not own the workspace, and for another workspace's consumer", async () => {
    const bob = new BrowserClient(emulator.baseUrl);
    await signIn(bob, 'bob');
    expect((await bob.get(CONSUMERS)).status).toBe(404);
    const alice = await aliceBrowser();
    expect((await alice.get(`${CONSUMERS}/doesnotexist`)).status).toBe(404);
    expect((await alice.get('/nowhere/workspace/settings/oauth-consumers')).status).toBe(404);
  });

  it('logs out', async () => {
    const browser = await aliceBrowser();
    const home = await (await browser.get('/')).text();
    expect(home).toContain('Signed in as');
    const response = await browser.postForm('/account/signout/', {
      csrf_token: readHiddenFields(home).csrf_token ?? '',
    });
    expect(response.status).toBe(302);
    expect((await browser.get(CONSUMERS)).status).toBe(302);
  });
});
