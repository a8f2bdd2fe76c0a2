import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as oauth from 'oauth4webapi';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunnerIntegrationConfig } from '@runner-console/contracts';
import { startEmulatorProcess, type EmulatorProcess } from '../../../test-support/emulator-process.ts';
import { loadConfig, type RunnerConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import type { IntegrationRegistry } from '../src/integrations/integration-registry.ts';
import { endpointsFor } from '../src/providers/provider-endpoints.ts';
import { adapterFor } from '../src/providers/provider-registry.ts';
import { createAccessTokenProvider, TokenUnavailableError } from '../src/tokens/access-token-provider.ts';

const reauthReasons = adapterFor('bitbucket').refresh.reasons;
import { createTokenCipher } from '../src/tokens/token-cipher.ts';
import { createTokenStore, type StoredToken, type TokenStore } from '../src/tokens/token-store.ts';

// Bitbucket rotates refresh tokens on every use (since 4 May 2026). These tests run the runner's
// token provider against the real emulator, which rotates the same way.

let emulator: EmulatorProcess;
let config: RunnerConfig;
let consumer: { key: string; secret: string };
const log = createLogger('silent');

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  config = loadConfig({ RUNNER_TOKEN: 'rct_test_token_for_rotation_tests', BITBUCKET_URL: emulator.baseUrl, BITBUCKET_API_URL: emulator.baseUrl, DATA_DIR: os.tmpdir() });
  consumer = await emulator.createConsumer();
}, 60_000);
afterAll(async () => emulator?.stop());

let store: TokenStore;
let storeDir: string;
let integration: RunnerIntegrationConfig;
beforeEach(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-rotation-'));
  storeDir = dir;
  store = createTokenStore(dir, createTokenCipher(dir));
  integration = { id: 'int-1', provider: 'bitbucket' as const, host: 'bitbucket.org', clientId: consumer.key, oauthEnabled: true } as RunnerIntegrationConfig;
});

afterEach(() => {
  store.close();
  fs.rmSync(storeDir, { recursive: true, force: true });
});

/** The registry's job here is only to hand out the consumer's secret. */
const registry = { openSecret: async () => consumer.secret } as unknown as IntegrationRegistry;

function provider(options: { store?: TokenStore; refreshLeaseMs?: number } = {}) {
  return createAccessTokenProvider({ config, store: options.store ?? store, registry, log, refreshLeaseMs: options.refreshLeaseMs });
}

/** Connects alice and stores her token the way the Connect callback does, already expired by the runner's clock. */
async function connectExpired(): Promise<StoredToken> {
  const tokens = await emulator.obtainTokens(consumer);
  return store.save({
    userId: 'u1',
    host: 'bitbucket.org',
    integrationId: integration.id,
    clientId: consumer.key,
    accountName: 'Alice',
    accountUsername: 'alice',
    accountUuid: null,
    email: null,
    scopes: tokens.scope.split(' '),
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: new Date(Date.now() - 1000).toISOString(),
  });
}

async function refreshCalls(): Promise<number> {
  const { body } = await emulator.testApi('GET', '/_emulator/stats');
  return (body.tokenCalls as { refresh_token: number }).refresh_token;
}

async function userStatus(accessToken: string): Promise<number> {
  return (await fetch(`${emulator.baseUrl}/2.0/user`, { headers: { authorization: `Bearer ${accessToken}` } })).status;
}

/** Spends a refresh token at Bitbucket and throws the answer away: what a killed runner leaves behind. */
async function spendAtBitbucket(refreshToken: string): Promise<void> {
  const endpoints = endpointsFor(config, { provider: 'bitbucket', host: 'bitbucket.org' });
  const response = await oauth.refreshTokenGrantRequest(endpoints.authorizationServer, { client_id: consumer.key }, oauth.ClientSecretBasic(consumer.secret), refreshToken, endpoints.requestOptions);
  expect(response.status).toBe(200);
}

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(TokenUnavailableError);
  expect((error as TokenUnavailableError).code).toBe('needs_reauthorization');
  return (error as Error).message;
}

describe('refresh with rotating refresh tokens', () => {
  it('stores the rotated refresh token before the new access token is used, and it works next time', async () => {
    const before = await connectExpired();
    const fresh = await provider().getToken('u1', integration);
    expect(fresh.accessToken).not.toBe(before.accessToken);
    expect(fresh.refreshToken).not.toBe(before.refreshToken);
    // What the store holds is what was handed out: a crash now loses nothing.
    expect(store.find('u1', integration.id)).toMatchObject({ accessToken: fresh.accessToken, refreshToken: fresh.refreshToken });
    expect(await userStatus(fresh.accessToken)).toBe(200);

    // The next refresh (the stored token is spent by then) uses the rotated one.
    store.updateAccess(fresh, { accessToken: fresh.accessToken, refreshToken: fresh.refreshToken, expiresAt: new Date(Date.now() - 1000).toISOString(), scopes: fresh.scopes });
    const again = await provider().getToken('u1', integration);
    expect(again.refreshToken).not.toBe(fresh.refreshToken);
    expect(await userStatus(again.accessToken)).toBe(200);
  });

  it('shares one refresh between 10 concurrent uses', async () => {
    await connectExpired();
    const tokens = provider();
    const callsBefore = await refreshCalls();
    const results = await Promise.all(Array.from({ length: 10 }, () => tokens.getToken('u1', integration)));
    expect(await refreshCalls()).toBe(callsBefore + 1);
    expect(new Set(results.map((t) => t.accessToken)).size).toBe(1);
    expect(store.find('u1', integration.id)?.refreshToken).toBe(results[0]!.refreshToken);
    expect(await userStatus(results[0]!.accessToken)).toBe(200);
  });

  it('makes a second process sharing the store wait for the first one’s refresh instead of spending the same token', async () => {
    await connectExpired();
    const callsBefore = await refreshCalls();
    const [a, b] = await Promise.all([provider().getToken('u1', integration), provider().getToken('u1', integration)]);
    expect(await refreshCalls()).toBe(callsBefore + 1);
    expect(a.accessToken).toBe(b.accessToken);
  });

  it('re-reads the stored token after losing a race, instead of marking the connection revoked', async () => {
    const stale = await connectExpired();
    // Another request rotates the token and stores the result...
    const winner = await provider().getToken('u1', integration);
    // ...while this one still holds the token it read before, and sends its spent refresh token.
    let staleReads = 2;
    const lagging: TokenStore = { ...store, find: (userId, integrationId) => (staleReads-- > 0 ? stale : store.find(userId, integrationId)) };
    const callsBefore = await refreshCalls();
    const result = await provider({ store: lagging }).getToken('u1', integration);
    expect(await refreshCalls()).toBe(callsBefore + 1); // Bitbucket did refuse the spent token
    expect(result.accessToken).toBe(winner.accessToken);
    expect(store.findSummary('u1', integration.id)?.needsReauthorization).toBe(false);
  });

  it('ends as "Connect again" with a clear reason when the runner was killed between Bitbucket’s answer and the store write', async () => {
    const before = await connectExpired();
    // The killed process took the lease and spent the refresh token; its answer never reached the store.
    expect(store.beginRefresh(before.id, { leaseMs: 30_000, owner: 'killed-process' })).toEqual({ status: 'acquired', interrupted: false });
    await spendAtBitbucket(before.refreshToken!);
    // The runner starts again; the lease has run out.
    const reason = await reasonOf(provider({ refreshLeaseMs: 50 }).getToken('u1', integration));
    expect(reason).toBe(reauthReasons.interrupted);
    expect(store.findSummary('u1', integration.id)).toMatchObject({ needsReauthorization: true, reauthorizeReason: reauthReasons.interrupted });
    // And it stays that way, without asking Bitbucket again.
    const callsBefore = await refreshCalls();
    expect(await reasonOf(provider().getToken('u1', integration))).toBe(reauthReasons.interrupted);
    expect(await refreshCalls()).toBe(callsBefore);
  });

  it('ends as "Connect again" after a real runner process is killed (SIGKILL) right after Bitbucket answered', async () => {
    await connectExpired();
    const callsBefore = await refreshCalls();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'support', 'refresh-then-die.ts')], {
      env: { ...process.env, EMULATOR_URL: emulator.baseUrl, STORE_DIR: storeDir, CONSUMER_KEY: consumer.key, CONSUMER_SECRET: consumer.secret },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    // Bitbucket rotated the token; the answer died with the process.
    expect(await refreshCalls()).toBe(callsBefore + 1);
    const reason = await reasonOf(provider({ refreshLeaseMs: 50 }).getToken('u1', integration));
    expect(reason).toBe(reauthReasons.interrupted);
    expect(store.findSummary('u1', integration.id)).toMatchObject({ needsReauthorization: true, reauthorizeReason: reauthReasons.interrupted });
  });

  it('recovers when the runner was killed before the request reached Bitbucket', async () => {
    const before = await connectExpired();
    store.beginRefresh(before.id, { leaseMs: 30_000, owner: 'killed-process' });
    const fresh = await provider({ refreshLeaseMs: 50 }).getToken('u1', integration);
    expect(await userStatus(fresh.accessToken)).toBe(200);
    expect(store.findSummary('u1', integration.id)?.needsReauthorization).toBe(false);
  });

  it('retries at once after Bitbucket failed a refresh, without waiting for its own lease', async () => {
    await connectExpired();
    const tokens = provider();
    await emulator.testApi('POST', '/_emulator/faults', { endpoint: 'token', failNext: 1 });
    const failed = await tokens.getToken('u1', integration).catch((err: unknown) => err);
    expect(failed).toMatchObject({ code: 'provider_unreachable' });
    const started = Date.now();
    const fresh = await tokens.getToken('u1', integration);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await userStatus(fresh.accessToken)).toBe(200);
  });

  it('says that Bitbucket expires sign-ins unused for 3 months', async () => {
    await connectExpired();
    const knob = await emulator.testApi('POST', '/_emulator/tokens/expire', { username: 'alice', kind: 'refresh' });
    expect(knob.status).toBe(200);
    const reason = await reasonOf(provider().getToken('u1', integration));
    expect(reason).toBe(reauthReasons.idle);
    expect(reason).toContain('not used for 3 months');
    expect(store.findSummary('u1', integration.id)?.reauthorizeReason).toBe(reauthReasons.idle);
  });

  it('marks a revoked grant as revoked', async () => {
    await connectExpired();
    await emulator.testApi('POST', '/_emulator/grants/revoke', { username: 'alice', consumerKey: consumer.key });
    expect(await reasonOf(provider().getToken('u1', integration))).toBe(reauthReasons.revoked);
  });
});
