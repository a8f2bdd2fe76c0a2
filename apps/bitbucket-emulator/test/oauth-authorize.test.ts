import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserClient, readHiddenFields } from '@runner-console/emulator-kit/testing';
import { startEmulator, type RunningEmulator } from './emulator-harness.ts';
import { authorize, authorizePath, createConsumer, signIn } from './oauth-flow.ts';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.close();
});

describe('GET /site/oauth2/authorize', () => {
  it('signs the user in, asks for consent naming the consumer and its scopes, and redirects back with code and state', async () => {
    const consumer = await createConsumer(emulator.baseUrl, { name: 'Consent Checker' });
    const browser = new BrowserClient(emulator.baseUrl);

    const first = await browser.get(authorizePath({ clientId: consumer.key, state: 'xyz' }));
    expect(first.status).toBe(302);
    const signInUrl = new URL(first.headers.get('location') ?? '', emulator.baseUrl);
    expect(signInUrl.pathname).toBe('/account/signin/');

    const signInPage = await browser.get(signInUrl.href);
    const signInHtml = await signInPage.text();
    expect(signInHtml).toContain('<label for="username">Username</label>');
    expect(signInHtml).toContain('<label for="password">Password</label>');
    expect(signInHtml).toContain('Log in</button>');
    const loggedIn = await browser.postForm('/account/signin/', {
      ...readHiddenFields(signInHtml),
      username: 'alice',
      password: 'alice',
    });
    expect(loggedIn.status).toBe(302);

    const consent = await browser.followRedirects(loggedIn);
    expect(consent.status).toBe(200);
    expect(consent.headers.get('content-security-policy')).toContain("default-src 'none'");
    const consentHtml = await consent.text();
    expect(consentHtml).toContain('Consent Checker');
    expect(consentHtml).toContain('Read your account information <code>account</code>');
    expect(consentHtml).toContain('<code>repository:write</code>');
    expect(consentHtml).toContain('Grant access</button>');
    expect(consentHtml).toContain('Cancel</button>');
    expect(consentHtml).not.toContain('<script');

    const granted = await browser.postForm('/site/oauth2/authorize', {
      ...readHiddenFields(consentHtml),
      decision: 'grant',
    });
    expect(granted.status).toBe(302);
    const callback = new URL(granted.headers.get('location') ?? '');
    expect(`${callback.origin}${callback.pathname}`).toBe(consumer.callbackUrl);
    expect(callback.searchParams.get('code')).toMatch(/^[A-Za-z0-9]{18}$/);
    expect(callback.searchParams.get('state')).toBe('xyz');
  });

  it('skips consent when the user already granted the same consumer, as Bitbucket does', async () => {
    const consumer = await createConsumer(emulator.baseUrl);
    const browser = new BrowserClient(emulator.baseUrl);
    await signIn(browser, 'alice');
    await authorize(browser, { clientId: consumer.key });

    const again = await browser.get(authorizePath({ clientId: consumer.key, state: 'again' }));
    expect(again.status).toBe(302);
    const callback = new URL(again.headers.get('location') ?? '');
    expect(callback.searchParams.get('code')).toBeTruthy();
    expect(callback.searchParams.get('state')).toBe('again');
  });

  it('asks again after the grant was revoked', async () => {
    const consumer = await createConsumer(emulator.baseUrl);
    const browser = new BrowserClient(emulator.baseUrl);
    await signIn(browser, 'alice');
    await authorize(browser, { clientId: consumer.key });
    const revoke = await fetch(`${emulator.baseUrl}/_emulator/grants/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', consumerKey: consumer.key }),
    });
    expect(await revoke.json()).toEqual({ revoked: 1 });

    const again = await browser.get(authorizePath({ clientId: consumer.key }));
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('Grant access');
  });

  it('redirects with error=access_denied, a description and the state when the user cancels', async () => {
    const consumer = await createConsumer(emulator.baseUrl);
    const browser = new BrowserClient(emulator.baseUrl);
    await signIn(browser, 'alice');
    const callback = await authorize(
      browser,
      { clientId: consumer.key, state: 'cancel-me' },
      'cancel',
    );
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('error_description')).toBeTruthy();
    expect(callback.searchParams.get('state')).toBe('cancel-me');
    expect(callback.searchParams.has('code')).toBe(false);
  });

  it('uses a redirect_uri that starts with the callback URL, keeping its query', async () => {
    const consumer = await createConsumer(emulator.baseUrl, {
      callbackUrl: 'http://127.0.0.1:9/oauth',
    });
    const browser = new BrowserClient(emulator.baseUrl);
    await signIn(browser, 'alice');
    const callback = await authorize(browser, {
      clientId: consumer.key,
      redirectUri: 'http://127.0.0.1:9/oauth/done?flow=42',
      state: 's',
    });
    expect(callback.pathname).toBe('/oauth/done');
    expect(callback.searchParams.get('flow')).toBe('42');
    expect(callback.searchParams.get('code')).toBeTruthy();
  });

  it.each([
    ['another origin', 'http://evil.test/callback'],
    ['a path outside the callback', 'http://127.0.0.1:9/elsewhere'],
    ['a longer host', 'http://127.0.0.1:90/callback'],
    ['not a URL', 'not a url'],
  ])(
    'shows an error page and never redirects for a redirect_uri on %s',
    async (_case, redirectUri) => {
      const consumer = await createConsumer(emulator.baseUrl);
      const browser = new BrowserClient(emulator.baseUrl);
      await signIn(browser, 'alice');
      const response = await browser.get(authorizePath({ clientId: consumer.key, redirectUri }));
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toContain('Invalid redirect_uri');
    },
  );

  it('shows an error page and never redirects for an unknown client_id', async () => {
    const response = await fetch(
      `${emulator.baseUrl}${authorizePath({ clientId: 'nope', redirectUri: 'http://evil.test/' })}`,
      {
        redirect: 'manual',
      },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('Invalid client_id');
  });

  it('sends an unsupported response_type back to the client as an error', async () => {
    const consumer = await createConsumer(emulator.baseUrl);
    const response = await fetch(
      `${emulator.baseUrl}/site/oauth2/authorize?client_id=${consumer.key}&response_type=token&state=t`,
      {
        redirect: 'manual',
      },
    );
    expect(response.status).toBe(302);
    const callback = new URL(response.headers.get('location') ?? '');
    expect(callback.searchParams.get('error')).toBe('unsupported_response_type');
    expect(callback.searchParams.get('state')).toBe('t');
  });

  it('refuses a consent POST without the CSRF token', async () => {
    const consumer = await createConsumer(emulator.baseUrl);
    const browser = new BrowserClient(emulator.baseUrl);
    await signIn(browser, 'alice');
    const response = await browser.postForm('/site/oauth2/authorize', {
      client_id: consumer.key,
      response_type: 'code',
      decision: 'grant',
      csrf_token: 'forged',
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('location')).toBeNull();
  });

  it('re-checks the request on the consent POST', async () => {
    const consumer = await createConsumer(emulator.baseUrl);
    const browser = new BrowserClient(emulator.baseUrl);
    await signIn(browser, 'alice');
    const consent = await browser.get(authorizePath({ clientId: consumer.key }));
    const fields = readHiddenFields(await consent.text());
    const response = await browser.postForm('/site/oauth2/authorize', {
      ...fields,
      redirect_uri: 'http://evil.test/',
      decision: 'grant',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('shows the log-in page again, with an error, after a wrong password', async () => {
    const browser = new BrowserClient(emulator.baseUrl);
    const page = await browser.get('/account/signin/');
    const response = await browser.postForm('/account/signin/', {
      ...readHiddenFields(await page.text()),
      username: 'alice',
      password: 'wrong',
    });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('Incorrect username or password');
  });

  it('refuses a log-in POST without the CSRF token', async () => {
    const browser = new BrowserClient(emulator.baseUrl);
    await browser.get('/account/signin/');
    const response = await browser.postForm('/account/signin/', {
      username: 'alice',
      password: 'alice',
      csrf_token: 'x',
    });
    expect(response.status).toBe(403);
  });

  it('never redirects to another origin after log-in', async () => {
    const browser = new BrowserClient(emulator.baseUrl);
    const page = await browser.get('/account/signin/?next=//evil.test/');
    const response = await browser.postForm('/account/signin/', {
      ...readHiddenFields(await page.text()),
      username: 'alice',
      password: 'alice',
    });
    expect(response.headers.get('location')).toBe('/');
  });
});
