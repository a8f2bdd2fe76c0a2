import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserClient } from '@runner-console/emulator-kit/testing';
import { startEmulator, type RunningEmulator } from './emulator-harness.ts';
import {
  authorize,
  bearer,
  createConsumer,
  obtainTokens,
  requestToken,
  setClockOffset,
  signIn,
  type TestConsumer,
  type Tokens,
} from './oauth-flow.ts';

let emulator: RunningEmulator;
let browser: BrowserClient;

beforeAll(async () => {
  emulator = await startEmulator();
  browser = new BrowserClient(emulator.baseUrl);
  await signIn(browser, 'alice');
});

afterAll(async () => {
  await emulator.close();
});

async function codeFor(consumer: TestConsumer, redirectUri?: string): Promise<string> {
  const callback = await authorize(browser, { clientId: consumer.key, state: 'st', redirectUri });
  return callback.searchParams.get('code') ?? '';
}

async function errorOf(
  response: Response,
): Promise<{ status: number; error: string; description: string }> {
  const body = (await response.json()) as { error: string; error_description: string };
  expect(typeof body.error_description).toBe('string');
  return { status: response.status, error: body.error, description: body.error_description };
}

async function userStatus(accessToken: string): Promise<number> {
  return (await fetch(`${emulator.baseUrl}/2.0/user`, { headers: bearer(accessToken) })).status;
}

describe('POST /site/oauth2/access_token', () => {
  describe('authorization_code', () => {
    it("answers in Bitbucket's shape with the expanded scopes", async () => {
      const consumer = await createConsumer(emulator.baseUrl);
      const response = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'authorization_code',
        code: await codeFor(consumer),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = (await response.json()) as Tokens;
      expect(body).toEqual({
        access_token: expect.stringMatching(/^[A-Za-z0-9_-]{100,}$/),
        scope: 'email account repository repository:write pullrequest issue',
        token_type: 'bearer',
        expires_in: 7200,
        state: 'authorization_code',
        refresh_token: expect.stringMatching(/^[A-Za-z0-9]{18}$/),
      });
      expect(await userStatus(body.access_token)).toBe(200);
    });

    it('accepts client_id and client_secret in the body instead of HTTP Basic', async () => {
      const consumer = await createConsumer(emulator.baseUrl);
      const response = await fetch(`${emulator.baseUrl}/site/oauth2/access_token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: await codeFor(consumer),
          client_id: consumer.key,
          client_secret: consumer.secret,
        }),
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as Tokens).token_type).toBe('bearer');
    });

    it('refuses a reused code with invalid_grant and revokes the tokens issued from it', async () => {
      const consumer = await createConsumer(emulator.baseUrl);
      const code = await codeFor(consumer);
      const first = (await (
        await requestToken(emulator.baseUrl, consumer, { grant_type: 'authorization_code', code })
      ).json()) as Tokens;
      const refreshed = (await (
        await requestToken(emulator.baseUrl, consumer, {
          grant_type: 'refresh_token',
          refresh_token: first.refresh_token,
        })
      ).json()) as Tokens;
      expect(await userStatus(refreshed.access_token)).toBe(200);

      const replay = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'authorization_code',
        code,
      });
      expect(await errorOf(replay)).toMatchObject({ status: 400, error: 'invalid_grant' });
      expect(await userStatus(first.access_token)).toBe(401);
      expect(await userStatus(refreshed.access_token)).toBe(401);
      const refreshAfter = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'refresh_token',
        refresh_token: refreshed.refresh_token,
      });
      expect(await errorOf(refreshAfter)).toMatchObject({ status: 400, error: 'invalid_grant' });
    });

    it("refuses another consumer's code", async () => {
      const owner = await createConsumer(emulator.baseUrl);
      const thief = await createConsumer(emulator.baseUrl);
      const response = await requestToken(emulator.baseUrl, thief, {
        grant_type: 'authorization_code',
        code: await codeFor(owner),
      });
      expect(await errorOf(response)).toMatchObject({ status: 400, error: 'invalid_grant' });
    });

    it('refuses an unknown code and a missing one', async () => {
      const consumer = await createConsumer(emulator.baseUrl);
      const unknown = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'authorization_code',
        code: 'AAAAAAAAAAAAAAAAAA',
      });
      expect(await errorOf(unknown)).toMatchObject({ status: 400, error: 'invalid_grant' });
      const missing = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'authorization_code',
      });
      expect(await errorOf(missing)).toMatchObject({ status: 400, error: 'invalid_request' });
    });

    it('refuses a code after its 10 minutes', async () => {
      const consumer = await createConsumer(emulator.baseUrl);
      const code = await codeFor(consumer);
      await setClockOffset(emulator.baseUrl, 601);
      try {
        const response = await requestToken(emulator.baseUrl, consumer, {
          grant_type: 'authorization_code',
          code,
        });
        expect(await errorOf(response)).toMatchObject({
          status: 400,
          error: 'invalid_grant',
          description: 'The specified code has expired.',
        });
      } finally {
        await setClockOffset(emulator.baseUrl, 0);
      }
    });

    it('requires the same redirect_uri as the authorize request', async () => {
      const consumer = await createConsumer(emulator.baseUrl);
      const redirectUri = `${consumer.callbackUrl}?flow=1`;
      const missing = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'authorization_code',
        code: await codeFor(consumer, redirectUri),
      });
      expect(await errorOf(missing)).toMatchObject({ status: 400, error: 'invalid_grant' });

      const different = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'authorization_code',
        code: await codeFor(consumer, redirectUri),
        redirect_uri: consumer.callbackUrl,
      });
      expect(await errorOf(different)).toMatchObject({ status: 400, error: 'invalid_grant' });

      const same = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'authorization_code',
        code: await codeFor(consumer, redirectUri),
        redirect_uri: redirectUri,
      });
      expect(same.status).toBe(200);
    });

    it('refuses a redirect_uri outside the callback URL when the authorize request had none', async () => {
      const consumer = await createConsumer(emulator.baseUrl);
      const response = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'authorization_code',
        code: await codeFor(consumer),
        redirect_uri: 'http://evil.test/callback',
      });
      expect(await errorOf(response)).toMatchObject({ status: 400, error: 'invalid_grant' });
    });
  });

  describe('client authentication and request format', () => {
    it('answers 400 unauthorized_client "Invalid OAuth client credentials" for a wrong secret or an unknown client, as bitbucket.org does', async () => {
      const consumer = await createConsumer(emulator.baseUrl);
      for (const credentials of [
        { key: consumer.key, secret: 'wrong' },
        { key: 'unknown', secret: consumer.secret },
      ]) {
        const response = await requestToken(emulator.baseUrl, credentials, {
          grant_type: 'authorization_code',
          code: 'x',
        });
        expect(response.headers.get('www-authenticate')).toBeNull();
        expect(response.status).toBe(400);
        expect(await response.json()).toEqual({
          error: 'unauthorized_client',
          error_description: 'Invalid OAuth client credentials',
        });
      }
    });

    it('answers unauthorized_client when no client credentials are sent', async () => {
      const response = await fetch(`${emulator.baseUrl}/site/oauth2/access_token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials' }),
      });
      expect(await errorOf(response)).toMatchObject({ status: 400, error: 'unauthorized_client' });
    });

    it('refuses credentials sent both with Basic and in the body', async () => {
      const consumer = await createConsumer(emulator.baseUrl);
      const response = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'client_credentials',
        client_id: consumer.key,
        client_secret: consumer.secret,
      });
      expect(await errorOf(response)).toMatchObject({ status: 400, error: 'invalid_request' });
    });

    it('accepts form-encoded bodies only', async () => {
      const consumer = await createConsumer(emulator.baseUrl, { private: true });
      const response = await fetch(`${emulator.baseUrl}/site/oauth2/access_token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${consumer.key}:${consumer.secret}`).toString('base64')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ grant_type: 'client_credentials' }),
      });
      expect(await errorOf(response)).toMatchObject({ status: 400, error: 'invalid_request' });
    });

    it('refuses a parameter sent twice', async () => {
      const consumer = await createConsumer(emulator.baseUrl, { private: true });
      const response = await fetch(`${emulator.baseUrl}/site/oauth2/access_token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${consumer.key}:${consumer.secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials&grant_type=client_credentials',
      });
      expect(await errorOf(response)).toMatchObject({ status: 400, error: 'invalid_request' });
    });

    it('answers unsupported_grant_type and invalid_request for a missing grant_type', async () => {
      const consumer = await createConsumer(emulator.baseUrl);
      const unsupported = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'password',
        username: 'alice',
        password: 'alice',
      });
      expect(await errorOf(unsupported)).toMatchObject({
        status: 400,
        error: 'unsupported_grant_type',
      });
      const missing = await requestToken(emulator.baseUrl, consumer, {});
      expect(await errorOf(missing)).toMatchObject({ status: 400, error: 'invalid_request' });
    });
  });

  describe('refresh_token', () => {
    it('rotates: each use returns a new refresh token and the old one stops working', async () => {
      const consumer = await createConsumer(emulator.baseUrl);
      const tokens = await obtainTokens(emulator.baseUrl, consumer);
      const response = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      });
      expect(response.status).toBe(200);
      const refreshed = (await response.json()) as Tokens;
      expect(refreshed).toEqual({
        access_token: expect.stringMatching(/^[A-Za-z0-9_-]{100,}$/),
        refresh_token: expect.stringMatching(/^[A-Za-z0-9]{18}$/),
        scope: tokens.scope,
        token_type: 'bearer',
        expires_in: 7200,
        state: 'refresh_token',
      });
      expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
      expect(refreshed.access_token).not.toBe(tokens.access_token);
      expect(await userStatus(refreshed.access_token)).toBe(200);
      // Access tokens issued earlier stay valid until they expire.
      expect(await userStatus(tokens.access_token)).toBe(200);

      const reused = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      });
      expect(await errorOf(reused)).toMatchObject({ status: 400, error: 'invalid_grant' });
      // A replay of the old token does not break the new one.
      const next = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'refresh_token',
        refresh_token: refreshed.refresh_token,
      });
      expect(next.status).toBe(200);
    });

    it('lets only one of two concurrent uses of the same refresh token succeed', async () => {
      const consumer = await createConsumer(emulator.baseUrl);
      const tokens = await obtainTokens(emulator.baseUrl, consumer);
      const answers = await Promise.all(
        Array.from({ length: 5 }, () =>
          requestToken(emulator.baseUrl, consumer, {
            grant_type: 'refresh_token',
            refresh_token: tokens.refresh_token,
          }),
        ),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400, 400, 400, 400]);
    });

    it('expires a refresh token unused for 3 months, and the user must authorize again', async () => {
      const consumer = await createConsumer(emulator.baseUrl);
      const tokens = await obtainTokens(emulator.baseUrl, consumer);
      await setClockOffset(emulator.baseUrl, 89 * 86400);
      const stillFine = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      });
      expect(stillFine.status).toBe(200);
      const rotated = (await stillFine.json()) as Tokens;
      // The rotated token has a fresh 3 months: 89 days later it still works, 91 days later not.
      await setClockOffset(emulator.baseUrl, (89 + 89) * 86400);
      const again = (await (
        await requestToken(emulator.baseUrl, consumer, {
          grant_type: 'refresh_token',
          refresh_token: rotated.refresh_token,
        })
      ).json()) as Tokens;
      await setClockOffset(emulator.baseUrl, (89 + 89 + 91) * 86400);
      const expired = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'refresh_token',
        refresh_token: again.refresh_token,
      });
      await setClockOffset(emulator.baseUrl, 0);
      expect(await errorOf(expired)).toMatchObject({
        status: 400,
        error: 'invalid_grant',
        description: expect.stringContaining('not used for 3 months'),
      });
    });

    it("has a test knob that expires a user's refresh tokens at once", async () => {
      const consumer = await createConsumer(emulator.baseUrl);
      const tokens = await obtainTokens(emulator.baseUrl, consumer);
      const knob = await fetch(`${emulator.baseUrl}/_emulator/tokens/expire`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'alice', kind: 'refresh' }),
      });
      expect(knob.status).toBe(200);
      expect(((await knob.json()) as { expired: number }).expired).toBeGreaterThanOrEqual(1);
      const expired = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      });
      expect(await errorOf(expired)).toMatchObject({
        error: 'invalid_grant',
        description: expect.stringContaining('not used for 3 months'),
      });
    });

    it("refuses an unknown refresh token and another consumer's", async () => {
      const consumer = await createConsumer(emulator.baseUrl);
      const other = await createConsumer(emulator.baseUrl);
      const tokens = await obtainTokens(emulator.baseUrl, consumer);
      const unknown = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'refresh_token',
        refresh_token: 'nope',
      });
      expect(await errorOf(unknown)).toMatchObject({ status: 400, error: 'invalid_grant' });
      const foreign = await requestToken(emulator.baseUrl, other, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      });
      expect(await errorOf(foreign)).toMatchObject({ status: 400, error: 'invalid_grant' });
    });
  });

  describe('client_credentials', () => {
    it('issues a token to a private consumer, acting as its owner', async () => {
      const consumer = await createConsumer(emulator.baseUrl, { private: true });
      const response = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'client_credentials',
      });
      expect(response.status).toBe(200);
      const tokens = (await response.json()) as Tokens;
      expect(tokens).toMatchObject({
        token_type: 'bearer',
        expires_in: 7200,
        state: 'client_credentials',
      });
      // Since May 2026 client_credentials issues no refresh token.
      expect(tokens).not.toHaveProperty('refresh_token');
      const user = await fetch(`${emulator.baseUrl}/2.0/user`, {
        headers: bearer(tokens.access_token),
      });
      expect(((await user.json()) as { nickname: string }).nickname).toBe('alice');
    });

    it('refuses a public consumer with unauthorized_client', async () => {
      const consumer = await createConsumer(emulator.baseUrl, { private: false });
      const response = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'client_credentials',
      });
      expect(await errorOf(response)).toMatchObject({ status: 400, error: 'unauthorized_client' });
    });
  });
});
