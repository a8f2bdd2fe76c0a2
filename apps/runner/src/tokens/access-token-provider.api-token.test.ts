import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { RunnerIntegrationConfig } from '@runner-console/contracts';
import type { RunnerConfig } from '../config.ts';
import type { IntegrationRegistry } from '../integrations/integration-registry.ts';
import { TokenUnavailableError, createAccessTokenProvider } from './access-token-provider.ts';
import { bitbucketAdapter } from '../providers/bitbucket/adapter.ts';

const restAuthorizationFor = bitbucketAdapter.restAuthorization;
const gitCredentialsFor = (token: { kind: 'oauth' | 'api_token'; accessToken: string }) => ({ username: bitbucketAdapter.gitUsername({ ...token, loginEmail: null }), password: token.accessToken });
import { createTokenCipher } from './token-cipher.ts';
import { createTokenStore } from './token-store.ts';

const integration: RunnerIntegrationConfig = { id: 'int-1', provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: false, patEnabled: true, clientId: null, clientSecretEnvelope: null };

function setUp(expiresAt: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-atp-'));
  const store = createTokenStore(dir, createTokenCipher(dir));
  // An API token is never refreshed, so the registry (which opens client secrets) must not be asked.
  const registry = { openSecret: () => Promise.reject(new Error('must not refresh an API token')) } as unknown as IntegrationRegistry;
  const provider = createAccessTokenProvider({ config: {} as RunnerConfig, store, registry, log: pino({ level: 'silent' }) });
  const saved = store.save({
    kind: 'api_token',
    loginEmail: 'alice@acme.test',
    userId: 'u1',
    host: 'bitbucket.org',
    integrationId: 'int-1',
    clientId: '',
    accountName: 'Alice',
    accountUsername: 'alice',
    accountUuid: null,
    email: 'alice@acme.test',
    scopes: [],
    accessToken: 'ATATT3x-token',
    refreshToken: null,
    expiresAt,
  });
  return { store, provider, saved };
}

describe('access tokens for API token connections', () => {
  it('uses a live API token as it is, with Basic e-mail:token for REST and x-bitbucket-api-token-auth for git', async () => {
    const { provider } = setUp(new Date(Date.now() + 86_400_000).toISOString());
    const token = await provider.getToken('u1', integration);
    expect(restAuthorizationFor(token)).toBe(`Basic ${Buffer.from('alice@acme.test:ATATT3x-token').toString('base64')}`);
    expect(gitCredentialsFor(token)).toEqual({ username: 'x-bitbucket-api-token-auth', password: 'ATATT3x-token' });
  });

  it('an expired API token needs a new one (never a refresh), and says when it expired', async () => {
    const { provider, store } = setUp('2020-01-01T23:59:59.999Z');
    const error = await provider.getToken('u1', integration).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenUnavailableError);
    expect(error).toMatchObject({ code: 'needs_reauthorization', message: expect.stringMatching(/expired on 2020-01-01/) });
    expect(store.findSummary('u1', 'int-1')?.needsReauthorization).toBe(true);
  });

  it('an API token Bitbucket refuses (revoked) is marked, not refreshed', async () => {
    const { provider, saved } = setUp(new Date(Date.now() + 86_400_000).toISOString());
    const error = await provider.refreshAfterRejection(saved, integration).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'needs_reauthorization', message: expect.stringMatching(/revoked or has expired/) });
  });

  it('OAuth connections keep x-token-auth and Bearer', () => {
    expect(gitCredentialsFor({ kind: 'oauth', accessToken: 'at' })).toEqual({ username: 'x-token-auth', password: 'at' });
    expect(restAuthorizationFor({ kind: 'oauth', accessToken: 'at', loginEmail: null })).toBe('Bearer at');
  });
});
