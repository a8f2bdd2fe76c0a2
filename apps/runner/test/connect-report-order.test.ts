import { describe, expect, it } from 'vitest';
import type { RunnerConfig } from '../src/config.ts';
import type { IntegrationRegistry } from '../src/integrations/integration-registry.ts';
import type { BffLink } from '../src/link/bff-link.ts';
import { createLogger } from '../src/logger.ts';
import { createConnectFlows, nonceCookiePrefix } from '../src/oauth/connect-flows.ts';
import type { TokenStore } from '../src/tokens/token-store.ts';

// The callback's page is answered after the BFF has taken the result (the BFF pushes it to the
// dashboard before it answers), so the dashboard hears first; a BFF that does not answer delays
// the page by reportWaitMs at most, and the report goes on in the background.

const flowId = '0b6f3c1e-2a4d-4e8f-9c1b-5d7e9f1a3b5c';
const integration = { id: 'int-1', provider: 'bitbucket' as const, host: 'bitbucket.org', oauthEnabled: true, clientId: 'key' };
const config = { providerEndpoints: [{ host: 'bitbucket.org', siteUrl: 'http://127.0.0.1:9', apiUrl: 'http://127.0.0.1:9/2.0' }] } as unknown as RunnerConfig;
const registry = { findByHost: () => integration, get: () => integration, openSecret: async () => 'secret' } as unknown as IntegrationRegistry;

function deferred() {
  let resolve!: (v: unknown) => void;
  const promise = new Promise((r) => (resolve = r));
  return { promise, resolve };
}

function flowsWith(completeFlow: () => Promise<unknown>, reportWaitMs: number) {
  const reports: unknown[] = [];
  const link = {
    async request(method: string, params: unknown) {
      if (method === 'redeemFlow') {
        return { flowId, userId: 'user-1', host: 'bitbucket.org', expiresAt: new Date(Date.now() + 600_000).toISOString(), mode: 'popup', dashboardOrigin: 'http://localhost:8080', returnUrl: 'http://localhost:8080/', finishUrl: 'http://localhost:8080/api/connect/finish' };
      }
      if (method === 'completeFlow') {
        reports.push(params);
        return completeFlow();
      }
      throw new Error(`unexpected ${method}`);
    },
  } as unknown as BffLink;
  const flows = createConnectFlows({ config, log: createLogger('silent'), link, registry, tokens: {} as TokenStore, callbackUrl: 'http://localhost:8081/oauth/callback', reportWaitMs });
  return { flows, reports };
}

/** A callback whose nonce cookie is missing: refused at once (browser_mismatch), and reported. */
async function refusedCallback(flows: ReturnType<typeof createConnectFlows>) {
  const { redirectTo } = await flows.start(flowId, 'redeem-secret-0123456789');
  const state = new URL(redirectTo).searchParams.get('state')!;
  const callback = new URL(`http://localhost:8081/oauth/callback?code=c&state=${encodeURIComponent(state)}`);
  return flows.callback(callback, { [`${nonceCookiePrefix}other`]: 'x' });
}

describe('the Connect callback answers after the BFF has the result', () => {
  it('does not answer the page before the BFF has taken the report', async () => {
    const bff = deferred();
    const { flows, reports } = flowsWith(() => bff.promise, 10_000);
    let answered = false;
    const page = refusedCallback(flows).then((outcome) => {
      answered = true;
      return outcome;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(reports).toEqual([expect.objectContaining({ flowId, status: 'failed', failureCode: 'browser_mismatch' })]);
    expect(answered).toBe(false);
    bff.resolve({ ok: true });
    expect(await page).toMatchObject({ flowId, status: 'failed', failureCode: 'browser_mismatch' });
    expect(answered).toBe(true);
  });

  it('answers the page after reportWaitMs when the BFF is silent, and keeps the report going', async () => {
    const bff = deferred();
    const { flows, reports } = flowsWith(() => bff.promise, 150);
    const startedAt = Date.now();
    const outcome = await refusedCallback(flows);
    const waited = Date.now() - startedAt;
    expect(outcome).toMatchObject({ status: 'failed', failureCode: 'browser_mismatch' });
    expect(waited).toBeGreaterThanOrEqual(140);
    expect(waited).toBeLessThan(5_000);
    expect(reports).toHaveLength(1);
    bff.resolve({ ok: true });
  });

  it('answers the page when the BFF refuses the report (the refusal is logged, not shown)', async () => {
    const { flows } = flowsWith(async () => {
      throw Object.assign(new Error('This flow is already finished.'), { code: 'flow_invalid' });
    }, 10_000);
    expect(await refusedCallback(flows)).toMatchObject({ status: 'failed', failureCode: 'browser_mismatch' });
  });
});
