import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from './emulator-harness.ts';
import { bearer, createConsumer, obtainTokens, requestToken, type Tokens } from './oauth-flow.ts';

let emulator: RunningEmulator;
let tokens: Tokens;

beforeAll(async () => {
  emulator = await startEmulator();
  tokens = await obtainTokens(emulator.baseUrl, await createConsumer(emulator.baseUrl));
});

afterEach(async () => {
  await fetch(`${emulator.baseUrl}/_emulator/faults`, { method: 'DELETE' });
});

afterAll(async () => {
  await emulator.close();
});

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${emulator.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function getUser(signal?: AbortSignal): Promise<Response> {
  return fetch(`${emulator.baseUrl}/2.0/user`, { headers: bearer(tokens.access_token), signal });
}

describe('test API', () => {
  it('serves the pages\' stylesheet under /_emulator/assets/ despite the test API\'s 404 for unknown paths', async () => {
    const css = await fetch(`${emulator.baseUrl}/_emulator/assets/emulator.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await css.text()).toMatch(/body\s*\{/);
    expect((await fetch(`${emulator.baseUrl}/_emulator/assets/other.css`)).status).toBe(404);
  });

  it('answers the health check', async () => {
    const response = await fetch(`${emulator.baseUrl}/_emulator/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  describe('POST /_emulator/users', () => {
    it('creates an account that can sign in and is refused a second time', async () => {
      const created = await post('/_emulator/users', { username: 'dora', displayName: 'Dora' });
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({
        username: 'dora',
        displayName: 'Dora',
        uuid: expect.stringMatching(/^\{.+\}$/),
      });
      const form = new URLSearchParams({ username: 'dora', password: 'dora' });
      const signIn = await fetch(`${emulator.baseUrl}/account/signin/`, {
        method: 'POST',
        body: form,
        redirect: 'manual',
      });
      expect(signIn.status).not.toBe(500);
      expect((await post('/_emulator/users', { username: 'dora' })).status).toBe(409);
      expect((await post('/_emulator/users', { username: 'Not Valid!' })).status).toBe(400);
    });
  });

  describe('POST /_emulator/consumers', () => {
    it('creates a consumer with an 18-character key and a 32-character secret', async () => {
      const consumer = await createConsumer(emulator.baseUrl);
      expect(consumer.key).toMatch(/^[A-Za-z0-9]{18}$/);
      expect(consumer.secret).toMatch(/^[A-Za-z0-9]{32}$/);
    });

    it('refuses an unknown permission, a bad callback URL and an unknown workspace', async () => {
      const base = {
        workspace: 'acme',
        name: 'x',
        callbackUrl: 'http://127.0.0.1:9/cb',
        permissions: ['account'],
      };
      const unknownScope = await post('/_emulator/consumers', { ...base, permissions: ['admin'] });
      expect(unknownScope.status).toBe(400);
      expect(await unknownScope.json()).toMatchObject({
        error: { code: 'invalid_request', fields: { 'permissions.0': expect.any(String) } },
      });
      const badUrl = await post('/_emulator/consumers', {
        ...base,
        callbackUrl: 'javascript:alert(1)',
      });
      expect(await badUrl.json()).toMatchObject({
        error: { fields: { callbackUrl: expect.any(String) } },
      });
      const unknownWorkspace = await post('/_emulator/consumers', { ...base, workspace: 'nope' });
      expect(unknownWorkspace.status).toBe(404);
    });

    it('answers 400 to a body that is not JSON', async () => {
      const response = await fetch(`${emulator.baseUrl}/_emulator/consumers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_request' } });
    });
  });

  describe('clock', () => {
    it('reads and sets the offset', async () => {
      const set = await post('/_emulator/clock', { offsetSeconds: 3600 });
      expect(await set.json()).toMatchObject({ offsetSeconds: 3600 });
      const read = await fetch(`${emulator.baseUrl}/_emulator/clock`);
      const { now } = (await read.json()) as { now: string };
      expect(Date.parse(now) - Date.now()).toBeGreaterThan(3500 * 1000);
      await post('/_emulator/clock', { offsetSeconds: 0 });
      expect((await post('/_emulator/clock', { offsetSeconds: 'soon' })).status).toBe(400);
    });
  });

  describe('faults', () => {
    it('fails the next N calls to an endpoint with 500, then recovers', async () => {
      expect((await post('/_emulator/faults', { endpoint: 'api', failNext: 2 })).status).toBe(200);
      const first = await getUser();
      expect(first.status).toBe(500);
      expect(await first.json()).toMatchObject({ type: 'error' });
      expect((await getUser()).status).toBe(500);
      expect((await getUser()).status).toBe(200);
    });

    it('fails the token endpoint with an OAuth error body', async () => {
      const consumer = await createConsumer(emulator.baseUrl, { private: true });
      await post('/_emulator/faults', { endpoint: 'token', failNext: 1 });
      const failed = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'client_credentials',
      });
      expect(failed.status).toBe(500);
      expect(await failed.json()).toMatchObject({ error: 'server_error' });
      expect(
        (await requestToken(emulator.baseUrl, consumer, { grant_type: 'client_credentials' }))
          .status,
      ).toBe(200);
    });

    it('applies "*" to every endpoint, including git and authorize', async () => {
      await post('/_emulator/faults', { endpoint: '*', failNext: 2 });
      expect(
        (await fetch(`${emulator.baseUrl}/acme/widgets.git/info/refs?service=git-upload-pack`))
          .status,
      ).toBe(500);
      expect((await fetch(`${emulator.baseUrl}/site/oauth2/authorize?client_id=x`)).status).toBe(
        500,
      );
      expect((await fetch(`${emulator.baseUrl}/_emulator/health`)).status).toBe(200);
      expect((await getUser()).status).toBe(200);
    });

    it('hangs the next call until the client gives up', async () => {
      await post('/_emulator/faults', { endpoint: 'api', hangNext: 1 });
      await expect(getUser(AbortSignal.timeout(300))).rejects.toThrow();
      expect((await getUser()).status).toBe(200);
    });

    it('adds latency', async () => {
      await post('/_emulator/faults', { endpoint: 'api', latencyMs: 250 });
      const started = performance.now();
      expect((await getUser()).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    });

    it('lists and clears the rules, and refuses unknown endpoints', async () => {
      await post('/_emulator/faults', { endpoint: 'git', latencyMs: 10 });
      expect(await (await fetch(`${emulator.baseUrl}/_emulator/faults`)).json()).toEqual({
        git: { latencyMs: 10, failNext: 0, hangNext: 0 },
      });
      expect(
        (await fetch(`${emulator.baseUrl}/_emulator/faults`, { method: 'DELETE' })).status,
      ).toBe(204);
      expect(await (await fetch(`${emulator.baseUrl}/_emulator/faults`)).json()).toEqual({});
      expect((await post('/_emulator/faults', { endpoint: 'ssh', failNext: 1 })).status).toBe(400);
    });
  });

  describe('tokens/expire', () => {
    it('refuses an unknown user, an unknown kind and extra fields', async () => {
      expect(
        (await post('/_emulator/tokens/expire', { username: 'nobody', kind: 'access' })).status,
      ).toBe(404);
      expect(
        (await post('/_emulator/tokens/expire', { username: 'alice', kind: 'both' })).status,
      ).toBe(400);
      expect(
        (await post('/_emulator/tokens/expire', { username: 'alice', kind: 'access', all: true }))
          .status,
      ).toBe(400);
    });
  });

  describe('stats', () => {
    it('counts token calls per grant type and resets', async () => {
      expect((await post('/_emulator/reset-stats', {})).status).toBe(204);
      const consumer = await createConsumer(emulator.baseUrl, { private: true });
      const own = (await (
        await requestToken(emulator.baseUrl, consumer, { grant_type: 'client_credentials' })
      ).json()) as Tokens;
      // client_credentials issues no refresh token, so there is nothing valid to refresh with.
      expect(own).not.toHaveProperty('refresh_token');
      await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'refresh_token',
        refresh_token: 'unknown-too',
      });
      await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'refresh_token',
        refresh_token: 'unknown',
      });
      await requestToken(emulator.baseUrl, { key: consumer.key, secret: 'not-the-secret' }, { grant_type: 'client_credentials' });
      await getUser();
      const stats = await (await fetch(`${emulator.baseUrl}/_emulator/stats`)).json();
      expect(stats).toMatchObject({
        tokenCalls: { authorization_code: 0, refresh_token: 2, client_credentials: 2 },
        // The wrong-secret call is a token call, but not one that presented this consumer's secret.
        authenticatedTokenCalls: { [consumer.key]: 3 },
        tokenErrors: { invalid_grant: 2, unauthorized_client: 1 },
        apiCalls: 1,
      });
      await post('/_emulator/reset-stats', {});
      expect(await (await fetch(`${emulator.baseUrl}/_emulator/stats`)).json()).toMatchObject({
        tokenCalls: { authorization_code: 0, refresh_token: 0, client_credentials: 0 },
        authenticatedTokenCalls: {},
        apiCalls: 0,
      });
    });
  });

  describe('POST /_emulator/grants/revoke', () => {
    it('refuses an unknown user or consumer', async () => {
      expect((await post('/_emulator/grants/revoke', { username: 'carol' })).status).toBe(404);
      expect(
        (await post('/_emulator/grants/revoke', { username: 'alice', consumerKey: 'nope' })).status,
      ).toBe(404);
      expect((await post('/_emulator/grants/revoke', {})).status).toBe(400);
    });

    it("revokes all of a user's grants when no consumer is named", async () => {
      const other = await obtainTokens(
        emulator.baseUrl,
        await createConsumer(emulator.baseUrl),
        'bob',
      );
      const response = await post('/_emulator/grants/revoke', { username: 'bob' });
      expect(await response.json()).toEqual({ revoked: 1 });
      expect(
        (await fetch(`${emulator.baseUrl}/2.0/user`, { headers: bearer(other.access_token) }))
          .status,
      ).toBe(401);
    });
  });
});
