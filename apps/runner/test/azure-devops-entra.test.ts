// The runner's Entra ID paths against the Azure DevOps and Entra ID emulators: a refresh through
// the runner's own token provider names the scopes again (the emulator, like Entra, refuses one
// that does not: AADSTS90014), and the tenant discovery never lets the integration or a discovery
// document send the client secret anywhere but Entra's authority.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunnerIntegrationConfig } from '@runner-console/contracts';
import { loadConfig } from '../src/config.ts';
import type { IntegrationRegistry } from '../src/integrations/integration-registry.ts';
import { createLogger } from '../src/logger.ts';
import { azureDevopsAdapter } from '../src/providers/azure-devops/adapter.ts';
import { discoverEntraTenant, readIssuer } from '../src/providers/azure-devops/entra-oauth.ts';
import type { ProviderEndpoints } from '../src/providers/provider-adapter.ts';
import { createAccessTokenProvider } from '../src/tokens/access-token-provider.ts';
import { createTokenCipher } from '../src/tokens/token-cipher.ts';
import { createTokenStore } from '../src/tokens/token-store.ts';
import { azureDevopsUnderTest } from './provider-conformance/azure-devops.ts';
import type { ProviderFixture } from './provider-conformance/provider-under-test.ts';

const CALLBACK = 'http://127.0.0.1:7999/oauth/callback';

describe('Entra ID through the runner', () => {
  let fixture: ProviderFixture;
  beforeAll(async () => {
    fixture = await azureDevopsUnderTest.start();
  }, 60_000);
  afterAll(() => fixture?.stop());

  it('refreshes an expired connection once, with the scopes named again, so Entra renews it', async () => {
    const client = await fixture.createClient('refreshing', CALLBACK);
    const verifier = oauth.generateRandomCodeVerifier();
    const as = fixture.endpoints.authorizationServer;
    const url = new URL(as.authorization_endpoint!);
    for (const [name, value] of Object.entries({ client_id: client.clientId, response_type: 'code', redirect_uri: CALLBACK, state: 's', ...azureDevopsAdapter.authorizeParameters(), code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' })) url.searchParams.set(name, value);
    const callback = await fixture.authorize(url, 'grant');
    const options = { ...fixture.endpoints.requestOptions };
    const params = oauth.validateAuthResponse(as, { client_id: client.clientId }, callback, 's');
    const tokens = await oauth.processAuthorizationCodeResponse(as, { client_id: client.clientId }, await oauth.authorizationCodeGrantRequest(as, { client_id: client.clientId }, azureDevopsAdapter.clientAuthentication(client.clientSecret), params, CALLBACK, verifier, options));

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-entra-'));
    const sites = ['login.microsoftonline.com', 'app.vssps.visualstudio.com'].map((host) => `${host}=${fixture.endpoints.siteForHost!(host)}`);
    const config = loadConfig({ RUNNER_TOKEN: 'rct_test_token_for_entra_tests', DATA_DIR: dir, PROVIDER_ENDPOINTS: [`dev.azure.com=${fixture.endpoints.siteUrl}`, ...sites].join(' ') });
    const store = createTokenStore(dir, createTokenCipher(dir));
    const integration = { id: 'int-azure', provider: 'azure-devops', host: 'dev.azure.com', oauthEnabled: true, clientId: client.clientId, clientSecretEnvelope: null, issuerUrl: 'https://login.microsoftonline.com/acme/v2.0' } as RunnerIntegrationConfig;
    const registry = { openSecret: async () => client.clientSecret } as unknown as IntegrationRegistry;
    store.save({
      userId: 'u1',
      host: 'dev.azure.com',
      integrationId: integration.id,
      clientId: client.clientId,
      accountName: 'Alice',
      accountUsername: 'alice@acme.test',
      accountUuid: null,
      email: 'alice@acme.test',
      scopes: azureDevopsAdapter.grantedScopes(tokens),
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token!,
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    const tokenCalls = async () => ((await (await fetch(`${fixture.endpoints.siteUrl}/_emulator/stats`)).json()) as { token?: number }).token ?? 0;
    try {
      const before = await tokenCalls();
      // Two uses at once of an expired connection: one refresh, and both get its token (race-safe).
      const provider = createAccessTokenProvider({ config, store, registry, log: createLogger('silent') });
      const [fresh, other] = await Promise.all([provider.getToken('u1', integration), provider.getToken('u1', integration)]);
      expect(other.accessToken).toBe(fresh.accessToken);
      expect(await tokenCalls()).toBe(before + 1);
      expect(fresh.accessToken).not.toBe(tokens.access_token);
      expect(fresh.refreshToken).not.toBe(tokens.refresh_token);
      expect(Date.parse(fresh.expiresAt!)).toBeGreaterThan(Date.now() + 50 * 60_000);
      await azureDevopsAdapter.probeToken({ endpoints: fixture.endpoints, authorization: azureDevopsAdapter.restAuthorization({ kind: 'oauth', accessToken: fresh.accessToken, loginEmail: null }), fetch });
    } finally {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('the tenant discovery (attack tests: where the client secret may go)', () => {
    const endpointsWith = (issuerUrl: string, sites: Record<string, string> = {}): ProviderEndpoints => ({ ...fixture.endpoints, issuerUrl, siteForHost: (host) => sites[host] ?? null });

    it('refuses an issuer off Entra’s authorities before sending anything', async () => {
      let called = false;
      const spy = (async () => {
        called = true;
        return new Response('{}');
      }) as unknown as typeof fetch;
      for (const issuer of ['https://login.evil.example/acme/v2.0', 'http://login.microsoftonline.com/acme/v2.0', 'https://login.microsoftonline.com.evil.example/acme/v2.0', 'https://login.microsoftonline.com/acme/oauth2/v2.0/token']) {
        await expect(discoverEntraTenant(endpointsWith(issuer), spy), issuer).rejects.toThrow();
      }
      expect(called).toBe(false);
    });

    it('takes the authority’s configured stand-in, and the stand-in’s own issuer only when it is configured', () => {
      const entra = fixture.endpoints.siteForHost!('login.microsoftonline.com')!;
      expect(readIssuer(endpointsWith('https://login.microsoftonline.com/acme/v2.0', { 'login.microsoftonline.com': entra }))).toEqual({ tenant: 'acme', callOrigin: entra });
      expect(readIssuer(endpointsWith(`${entra}/acme/v2.0`, { 'login.microsoftonline.com': entra }))).toEqual({ tenant: 'acme', callOrigin: entra });
      expect(() => readIssuer(endpointsWith(`${entra}/acme/v2.0`))).toThrow(/only to Microsoft Entra ID/);
    });

    it('refuses a discovery document that names a token endpoint elsewhere', async () => {
      const entra = fixture.endpoints.siteForHost!('login.microsoftonline.com')!;
      const forged = (async () =>
        Response.json({ issuer: `${entra}/x/v2.0`, authorization_endpoint: `${entra}/x/oauth2/v2.0/authorize`, token_endpoint: 'https://collector.evil.example/token' })) as unknown as typeof fetch;
      await expect(discoverEntraTenant(endpointsWith('https://login.microsoftonline.com/forged-tenant/v2.0', { 'login.microsoftonline.com': entra }), forged)).rejects.toThrow(/outside Microsoft Entra ID/);
    });
  });
});
