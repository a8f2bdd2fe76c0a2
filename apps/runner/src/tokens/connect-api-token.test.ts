import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sealClientSecret } from '@runner-console/envelope';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { RunnerConfig } from '../config.ts';
import { createIntegrationRegistry } from '../integrations/integration-registry.ts';
import { loadRunnerKeyring } from '../keys/runner-keys.ts';
import { ApiTokenRefusal, createApiTokenConnector, reauthorizeReasonOf } from './connect-api-token.ts';
import { createTokenCipher } from './token-cipher.ts';
import { createTokenStore } from './token-store.ts';

const TOKEN = `ATATT3x${'k'.repeat(150)}=0A1B2C3D`;
const config = { providerEndpoints: [{ host: 'bitbucket.org', siteUrl: 'http://127.0.0.1:9', apiUrl: 'http://127.0.0.1:9/2.0' }] } as unknown as RunnerConfig;

type Route = (url: URL) => Response | undefined;

async function setUp(route: Route = () => undefined) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-api-token-'));
  const keyring = await loadRunnerKeyring(dir);
  const registry = createIntegrationRegistry(keyring);
  registry.setRunnerId('runner-1');
  registry.replace([{ id: 'int-1', provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: false, patEnabled: true, clientId: null, clientSecretEnvelope: null }]);
  const store = createTokenStore(dir, createTokenCipher(dir));
  const calls: string[] = [];
  // Bitbucket is never reached in these tests: every refusal here happens before any request.
  const fetchStub = (async (url: string) => {
    calls.push(String(url));
    return route(new URL(url)) ?? new Response('{}', { status: 500 });
  }) as unknown as typeof fetch;
  const connect = createApiTokenConnector({ config, registry, keyring, store, log: pino({ level: 'silent' }), fetch: fetchStub });
  const seal = (o: { runnerId?: string; userId?: string; host?: string; token?: string } = {}) =>
    sealClientSecret({ secret: o.token ?? TOKEN, publicJwk: keyring.current.publicJwk, runnerId: o.runnerId ?? 'runner-1', host: o.host ?? 'bitbucket.org', userId: o.userId ?? 'user-1' });
  const params = async (o: Parameters<typeof seal>[0] = {}, expiresOn = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)) => ({
    userId: 'user-1',
    host: 'bitbucket.org',
    email: 'alice@acme.test',
    tokenEnvelope: await seal(o),
    expiresOn,
  });
  return { connect, params, calls, store };
}

async function refusal(promise: Promise<unknown>): Promise<ApiTokenRefusal> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiTokenRefusal) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('connectApiToken: refusals before Bitbucket is asked', () => {
  it('refuses a token sealed for another user', async () => {
    const { connect, params, calls, store } = await setUp();
    const error = await refusal(connect(await params({ userId: 'user-2' })));
    expect(error).toMatchObject({ code: 'envelope_refused', message: expect.stringMatching(/another user/) });
    expect(calls).toEqual([]);
    expect(store.listSummariesByUser('user-1')).toEqual([]);
  });

  it('refuses a token sealed for another runner or host', async () => {
    const { connect, params, calls } = await setUp();
    expect((await refusal(connect(await params({ runnerId: 'runner-2' })))).message).toMatch(/another runner/);
    expect((await refusal(connect(await params({ host: 'bitbucket.example.com' })))).message).toMatch(/another host/);
    expect(calls).toEqual([]);
  });

  it('refuses an app password and an expiry date in the past or more than a year ahead', async () => {
    const { connect, params, calls } = await setUp();
    expect((await refusal(connect(await params({ token: 'ATBB3xQw8ZtLkM2nPq7RsVbC4dE5fG6hJ9kL0mN1' })))).code).toBe('app_password');
    expect((await refusal(connect(await params({}, '2020-01-01')))).code).toBe('token_expired');
    expect((await refusal(connect(await params({}, new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10))))).message).toMatch(/at most 365 days/);
    expect(calls).toEqual([]);
  });

  it('says Bitbucket could not be reached rather than blaming the token', async () => {
    const { connect, params } = await setUp();
    // The stub answers 500 for /2.0/user.
    expect((await refusal(connect(await params()))).code).toBe('provider_unreachable');
  });
});

describe('reauthorizeReasonOf', () => {
  it('flags an API token past its expiry date, and keeps a recorded reason', () => {
    expect(reauthorizeReasonOf({ kind: 'api_token', expiresAt: '2020-01-01T23:59:59.999Z', needsReauthorization: false, reauthorizeReason: null }, 'bitbucket')).toMatch(/expired on 2020-01-01/);
    expect(reauthorizeReasonOf({ kind: 'oauth', expiresAt: '2020-01-01T00:00:00.000Z', needsReauthorization: false, reauthorizeReason: null }, 'bitbucket')).toBeNull();
    expect(reauthorizeReasonOf({ kind: 'api_token', expiresAt: null, needsReauthorization: true, reauthorizeReason: 'revoked' }, 'bitbucket')).toBe('revoked');
  });
});

const alice = { uuid: '{a1}', display_name: 'Alice', nickname: 'alice' };
const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('connectApiToken: what Bitbucket answers', () => {
  it('a 401 for e-mail:token, with a token git accepts, is a wrong e-mail', async () => {
    const { connect, params } = await setUp((url) => (url.pathname === '/2.0/user' ? json(401, {}) : url.pathname.endsWith('/info/refs') ? new Response('not found', { status: 404 }) : undefined));
    expect(await refusal(connect(await params()))).toMatchObject({ code: 'wrong_email', message: expect.stringContaining('not with alice@acme.test') });
  });

  it('a 401 that git refuses too is a bad, expired or revoked token', async () => {
    const { connect, params, store } = await setUp((url) => (url.pathname === '/2.0/user' || url.pathname.endsWith('/info/refs') ? json(401, {}) : undefined));
    expect((await refusal(connect(await params()))).code).toBe('token_refused');
    expect(store.listSummariesByUser('user-1')).toEqual([]);
  });

  it('a 403 on /2.0/user names read:user:bitbucket from the granted scopes', async () => {
    const { connect, params } = await setUp((url) =>
      url.pathname === '/2.0/user' ? json(403, { type: 'error', error: { message: 'lacks scopes', detail: { granted: ['read:repository:bitbucket'], required: ['read:user:bitbucket'] } } }) : undefined,
    );
    const error = await refusal(connect(await params()));
    expect(error.code).toBe('missing_scope');
    expect(error.message).toContain('read:user:bitbucket');
    expect(error.message).not.toContain('read:repository:bitbucket (');
  });

  it('without a scopes header, probes the read scopes and names a missing read:pullrequest:bitbucket', async () => {
    const { connect, params, calls } = await setUp((url) => {
      if (url.pathname === '/2.0/user') return json(200, alice);
      if (url.pathname === '/2.0/repositories') return json(200, { values: [] });
      if (url.pathname.startsWith('/2.0/pullrequests/')) return json(403, { type: 'error', error: { message: 'lacks scopes' } });
      return undefined;
    });
    const error = await refusal(connect(await params()));
    expect(error).toMatchObject({ code: 'missing_scope', message: expect.stringContaining('read:pullrequest:bitbucket') });
    expect(calls.some((c) => c.includes('/2.0/pullrequests/%7Ba1%7D'))).toBe(true);
  });

  it('stores an accepted token as an API token connection, with the primary e-mail as git author', async () => {
    const { connect, params, store } = await setUp((url) => {
      if (url.pathname === '/2.0/user') return json(200, alice, { 'x-oauth-scopes': 'read:user:bitbucket, read:repository:bitbucket, write:repository:bitbucket, read:pullrequest:bitbucket' });
      if (url.pathname === '/2.0/user/emails') return json(200, { values: [{ email: 'alice@work.test', is_primary: true, is_confirmed: true }] });
      return undefined;
    });
    const result = await connect(await params());
    expect(result).toMatchObject({ accountName: 'Alice', accountUsername: 'alice', email: 'alice@work.test' });
    expect(store.find('user-1', 'int-1')).toMatchObject({ kind: 'api_token', loginEmail: 'alice@acme.test', accessToken: TOKEN });
  });
});
