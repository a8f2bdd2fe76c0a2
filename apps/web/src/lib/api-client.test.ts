import { describe, expect, it, vi } from 'vitest';
import { ApiRequestError, buildPath, createApiClient, goneIsDone, readCsrfToken } from './api-client.ts';

const runner = {
  id: 'run_1',
  name: 'Local runner',
  kind: 'local',
  phase: 'active',
  version: '0.1.0',
  region: null,
  publicUrl: 'http://localhost:8081',
  pinnedPublicUrl: 'http://localhost:8081',
  publicKey: null,
  pendingKey: null,
  providerSites: [],
  lastSeenAt: '2025-01-01T00:00:00.000Z',
  createdAt: '2025-01-01T00:00:00.000Z',
};

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function clientWith(responses: Response[], cookies = 'rc_csrf=tok%201') {
  const fetch = vi.fn<typeof globalThis.fetch>(async () => {
    const next = responses.shift();
    if (!next) throw new Error('unexpected fetch');
    return next;
  });
  return { fetch, client: createApiClient({ fetch, readCookies: () => cookies }) };
}

async function failure(promise: Promise<unknown>): Promise<ApiRequestError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiRequestError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('readCsrfToken', () => {
  it('prefers the __Host- cookie used under https', () => {
    expect(readCsrfToken('a=1; rc_csrf=plain; __Host-rc_csrf=secure')).toBe('secure');
  });
  it('reads the plain cookie on http', () => {
    expect(readCsrfToken('theme=dark; rc_csrf=abc%3D')).toBe('abc=');
  });
  it('answers null when there is none', () => {
    expect(readCsrfToken('')).toBeNull();
  });
});

describe('buildPath', () => {
  it('fills and encodes path parameters', () => {
    expect(buildPath('/api/runners/:runnerId/ping', { runnerId: 'a/b c' })).toBe(
      '/api/runners/a%2Fb%20c/ping',
    );
  });
  it('refuses a missing parameter', () => {
    expect(() => buildPath('/api/runners/:runnerId', {})).toThrow(/runnerId/);
  });
});

describe('apiClient.call', () => {
  it('parses a success body with the route schema', async () => {
    const { client, fetch } = clientWith([json(200, { runners: [runner] })]);
    await expect(client.call('listRunners')).resolves.toEqual({ runners: [runner] });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/runners');
    expect(init?.method).toBe('GET');
    expect(init?.credentials).toBe('same-origin');
    expect(init?.headers).not.toHaveProperty('x-csrf-token');
  });

  it('sends the CSRF token and a JSON body on writes', async () => {
    const { client, fetch } = clientWith([
      json(200, { runner, runnerToken: 't', startCommand: 'c' }),
    ]);
    await client.call('createRunner', { body: { name: 'Build box' } });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/runners');
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe('{"name":"Build box"}');
    expect(init?.headers).toMatchObject({
      'x-csrf-token': 'tok 1',
      'content-type': 'application/json',
    });
  });

  it('sends the Idempotency-Key on creates only', async () => {
    const { client, fetch } = clientWith([
      json(201, { runner, runnerToken: 't', startCommand: 'c' }),
      new Response(null, { status: 204 }),
    ]);
    await client.call('createRunner', { body: { name: 'Build box' }, idempotencyKey: 'k'.repeat(36) });
    expect(fetch.mock.calls[0]![1]?.headers).toMatchObject({ 'idempotency-key': 'k'.repeat(36) });
    await client.call('signOut', { idempotencyKey: 'k'.repeat(36) });
    expect(fetch.mock.calls[1]![1]?.headers).not.toHaveProperty('idempotency-key');
  });

  it('sends no content-type when there is no body, and accepts 204', async () => {
    const { client, fetch } = clientWith([new Response(null, { status: 204 })]);
    await expect(client.call('signOut')).resolves.toBeUndefined();
    expect(fetch.mock.calls[0]![1]?.headers).not.toHaveProperty('content-type');
  });

  it('maps the error body to ApiRequestError with code, message and fields', async () => {
    const body = {
      error: {
        code: 'validation_failed',
        message: 'Check the name.',
        fields: { name: 'Give the runner a name.' },
      },
    };
    const { client } = clientWith([json(400, body)]);
    const error = await failure(client.call('createRunner', { body: { name: '' } }));
    expect(error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'Check the name.',
      fields: { name: 'Give the runner a name.' },
    });
  });

  it('keeps the message of a 401 from sign-in', async () => {
    const message = 'That e-mail and password do not match an account.';
    const { client } = clientWith([json(401, { error: { code: 'unauthenticated', message } })]);
    const error = await failure(
      client.call('signIn', { body: { email: 'a@b.test', password: 'x' } }),
    );
    expect(error).toMatchObject({ status: 401, code: 'unauthenticated', message, fields: {} });
  });

  it('falls back to a readable error when the body is not the contract shape', async () => {
    const { client } = clientWith([
      new Response('<html>Bad gateway</html>', { status: 502 }),
      new Response('', { status: 429 }),
    ]);
    expect(await failure(client.call('listRunners'))).toMatchObject({
      status: 502,
      code: 'internal',
    });
    expect(await failure(client.call('listRunners'))).toMatchObject({
      status: 429,
      code: 'rate_limited',
    });
  });

  it('reports a network failure as status 0', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () => {
      throw new TypeError('Failed to fetch');
    });
    const client = createApiClient({ fetch, readCookies: () => '' });
    expect(await failure(client.call('listRunners'))).toMatchObject({
      status: 0,
      code: 'network_error',
    });
  });

  it('lets an abort through untouched', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () => {
      throw new DOMException('The operation was aborted.', 'AbortError');
    });
    const client = createApiClient({ fetch, readCookies: () => '' });
    await expect(client.call('listRunners', { signal: AbortSignal.abort() })).rejects.toMatchObject(
      { name: 'AbortError' },
    );
  });

  it('refuses a success body that does not match the contract', async () => {
    const { client } = clientWith([json(200, { runners: [{ id: 1 }] })]);
    expect(await failure(client.call('listRunners'))).toMatchObject({
      status: 200,
      code: 'unexpected_response',
    });
  });

  it('fetches the session for a CSRF cookie it does not have yet', async () => {
    let cookies = '';
    const fetch = vi.fn<typeof globalThis.fetch>(async (input) => {
      if (input === '/api/auth/session') {
        cookies = 'rc_csrf=fresh';
        return json(200, { user: null });
      }
      return new Response(null, { status: 204 });
    });
    const client = createApiClient({ fetch, readCookies: () => cookies });
    await client.call('signOut');
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      '/api/auth/session',
      '/api/auth/sign-out',
    ]);
    expect(fetch.mock.calls[1]![1]?.headers).toMatchObject({ 'x-csrf-token': 'fresh' });
  });

  it('retries once after csrf_failed, then gives up', async () => {
    const csrfFailed = () =>
      json(403, { error: { code: 'csrf_failed', message: 'Reload the page.' } });
    const { client, fetch } = clientWith([
      csrfFailed(),
      json(200, { user: null }),
      csrfFailed(),
      json(200, { user: null }),
    ]);
    expect(await failure(client.call('signOut'))).toMatchObject({
      status: 403,
      code: 'csrf_failed',
    });
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      '/api/auth/sign-out',
      '/api/auth/session',
      '/api/auth/sign-out',
    ]);
  });
});

describe('goneIsDone', () => {
  it('reads a 404 on a delete as done, and lets other failures through', async () => {
    await expect(goneIsDone(Promise.reject(new ApiRequestError({ status: 404, code: 'not_found', message: 'gone' })))).resolves.toBeNull();
    await expect(goneIsDone(Promise.resolve('deleted'))).resolves.toBe('deleted');
    await expect(goneIsDone(Promise.reject(new ApiRequestError({ status: 502, code: 'runner_offline', message: 'offline' })))).rejects.toThrow('offline');
  });
});
