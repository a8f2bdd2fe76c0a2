import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorProcess, type EmulatorProcess } from '../../../test-support/emulator-process.ts';
import { continueToCallback } from '../../../test-support/connect-journey.ts';
import { TestBrowser } from '../../../test-support/test-stack.ts';
import type { RunnerConfig } from '../src/config.ts';
import type { IntegrationRegistry } from '../src/integrations/integration-registry.ts';
import type { BffLink } from '../src/link/bff-link.ts';
import { createLogger } from '../src/logger.ts';
import { createConnectFlows, nonceCookiePrefix } from '../src/oauth/connect-flows.ts';
import type { TokenStore } from '../src/tokens/token-store.ts';

// The runner's half of Connect's last step: the token exchanged at the callback is held, not
// stored, until the BFF confirms the browser's user (commitConnect) — for that user only, with the
// secret only that browser got, once, within the confirmation window — or discards it.

const callbackOrigin = 'http://127.0.0.1:9';
let emulator: EmulatorProcess;
let consumer: { key: string; secret: string };

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  consumer = await emulator.createConsumer();
}, 60_000);
afterAll(async () => emulator?.stop());

function flowsFor(opts: { confirmWindowMs?: number } = {}) {
  const saved: { userId: string; accountName: string }[] = [];
  const integration = { id: 'int-1', provider: 'bitbucket' as const, host: 'bitbucket.org', oauthEnabled: true, clientId: consumer.key };
  const registry = { findByHost: () => integration, get: () => integration, openSecret: async () => consumer.secret } as unknown as IntegrationRegistry;
  let n = 0;
  const link = {
    async request(method: string) {
      if (method === 'redeemFlow') {
        n += 1;
        return {
          flowId: `0b6f3c1e-2a4d-4e8f-9c1b-5d7e9f1a3b${String(n).padStart(2, '0')}`,
          userId: 'user-1',
          host: 'bitbucket.org',
          expiresAt: new Date(Date.now() + 600_000).toISOString(),
          mode: 'popup',
          dashboardOrigin: 'http://localhost:8080',
          returnUrl: 'http://localhost:8080/environments/new',
          finishUrl: 'http://localhost:8080/api/connect/finish',
        };
      }
      return { ok: true };
    },
  } as unknown as BffLink;
  const tokens = { save: (t: { userId: string; accountName: string }) => void saved.push(t) } as unknown as TokenStore;
  const config = { providerEndpoints: [{ host: 'bitbucket.org', siteUrl: emulator.baseUrl, apiUrl: `${emulator.baseUrl}/2.0` }] } as unknown as RunnerConfig;
  const flows = createConnectFlows({ config, log: createLogger('silent'), link, registry, tokens, callbackUrl: `${callbackOrigin}/oauth/callback`, ...opts });
  return { flows, saved };
}

/** Start, sign in at the emulator as alice, consent, and come back: the callback's outcome. */
async function exchanged(flows: ReturnType<typeof flowsFor>['flows']) {
  const { redirectTo, cookie } = await flows.start('0b6f3c1e-2a4d-4e8f-9c1b-5d7e9f1a3b5c', 'redeem-secret-0123456789');
  const browser = new TestBrowser();
  const stack = { bitbucket: emulator.baseUrl, runner: callbackOrigin, dashboard: 'http://localhost:8080', dataDir: '' };
  const callback = await continueToCallback(stack, browser, redirectTo, { user: 'alice' });
  const outcome = await flows.callback(new URL(callback), { [cookie.name]: cookie.value });
  expect(cookie.name.startsWith(nonceCookiePrefix)).toBe(true);
  const confirm = new URL(outcome.confirmUrl!);
  return { flowId: confirm.searchParams.get('flow')!, secret: confirm.searchParams.get('confirm')!, outcome };
}

describe('Connect: the exchanged token waits for the dashboard', () => {
  it('is held, not stored, and goes to the dashboard with a one-time confirm secret', async () => {
    const { flows, saved } = flowsFor();
    const { flowId, secret, outcome } = await exchanged(flows);
    expect(outcome.confirmUrl).toMatch(/^http:\/\/localhost:8080\/api\/connect\/finish\?flow=.+&confirm=[A-Za-z0-9_-]{43}$/);
    expect(saved).toEqual([]);
    expect(flows.awaitingCount()).toBe(1);
    // Another user, or a wrong secret: refused, and the token still waits for its own user.
    expect(() => flows.commit(flowId, 'user-2', secret)).toThrow(/does not belong to you/);
    expect(() => flows.commit(flowId, 'user-1', 'A'.repeat(43))).toThrow(/does not belong to you/);
    expect(saved).toEqual([]);
    expect(flows.commit(flowId, 'user-1', secret)).toEqual({ accountName: 'Alice' });
    expect(saved).toEqual([expect.objectContaining({ userId: 'user-1', accountName: 'Alice' })]);
    // Once.
    expect(() => flows.commit(flowId, 'user-1', secret)).toThrow(/not finished in time/);
    expect(saved).toHaveLength(1);
  });

  it('is forgotten when the BFF discards it, and then cannot be committed', async () => {
    const { flows, saved } = flowsFor();
    const { flowId, secret } = await exchanged(flows);
    expect(flows.discard(flowId, 'test')).toEqual({ discarded: true, accountName: 'Alice' });
    expect(() => flows.commit(flowId, 'user-1', secret)).toThrow(/not finished in time/);
    expect(saved).toEqual([]);
    expect(flows.discard(flowId, 'again')).toEqual({ discarded: false, accountName: null });
  });

  it('expires when nobody confirms it within the window', async () => {
    const { flows, saved } = flowsFor({ confirmWindowMs: 50 });
    const { flowId, secret } = await exchanged(flows);
    await new Promise((r) => setTimeout(r, 80));
    expect(() => flows.commit(flowId, 'user-1', secret)).toThrow(/not finished in time/);
    expect(saved).toEqual([]);
  });
});
