import * as oauth from 'oauth4webapi';
import type { RunnerIntegrationConfig, ValidateIntegrationResult } from '@runner-console/contracts';
import { clientIdMissingMessage, getScmProvider } from '@runner-console/scm-providers';
import type { RunnerConfig } from '../config.ts';
import { IntegrationError, type IntegrationRegistry } from '../integrations/integration-registry.ts';
import { authorizationServerOf, endpointsFor } from '../providers/provider-endpoints.ts';
import { adapterFor } from '../providers/provider-registry.ts';

/**
 * Prove a client ID and secret against the provider without a user: an authorization_code grant
 * with a code that cannot exist. The token endpoint authenticates the client first, so a wrong
 * client and a good client with a bad code answer differently; the adapter reads which
 * (judgeClientCheck). client_credentials would only work for some kinds of client.
 */
export async function validateClientCredentials(
  config: RunnerConfig,
  registry: IntegrationRegistry,
  integration: RunnerIntegrationConfig,
  callbackUrl: string,
  // A candidate's secret is not kept open in memory: it may never be saved.
  opts: { cacheSecret?: boolean } = {},
): Promise<ValidateIntegrationResult> {
  const entry = getScmProvider(integration.provider);
  if (!integration.clientId) return { status: 'invalid_credentials', message: clientIdMissingMessage(entry), field: 'clientId' };
  let secret: string;
  try {
    secret = opts.cacheSecret === false ? await registry.openSecretUncached(integration) : await registry.openSecret(integration);
  } catch (err) {
    if (err instanceof IntegrationError && err.code === 'needs_new_secret') return { status: 'needs_new_secret', message: err.message, field: 'clientSecret' };
    if (err instanceof IntegrationError) return { status: 'invalid_credentials', message: err.message, field: 'clientSecret' };
    throw err;
  }
  // Only after the secret's binding (runner, key, host) was checked: an envelope moved to another
  // integration is refused for that, whatever provider the integration names.
  const adapter = adapterFor(integration.provider);
  const endpoints = endpointsFor(config, integration);
  let authorizationServer: oauth.AuthorizationServer;
  try {
    authorizationServer = await authorizationServerOf(endpoints);
  } catch (err) {
    return { status: 'invalid_credentials', message: (err as Error).message, field: 'issuerUrl' };
  }
  const client: oauth.Client = { client_id: integration.clientId };
  const params = oauth.validateAuthResponse(authorizationServer, client, new URLSearchParams({ code: 'runner-console-credential-check' }), oauth.skipStateCheck);
  let response: Response;
  try {
    response = await oauth.authorizationCodeGrantRequest(
      authorizationServer,
      client,
      adapter.clientAuthentication(secret),
      params,
      callbackUrl,
      // With PKCE, a verifier nobody challenged: the client is still authenticated first.
      adapter.pkce ? oauth.generateRandomCodeVerifier() : oauth.nopkce,
      { ...endpoints.requestOptions, signal: AbortSignal.timeout(10_000) },
    );
  } catch {
    return { status: 'provider_unreachable', message: `${adapter.name} could not be reached from the runner (${endpoints.siteUrl}). Check the runner's network and try again.`, field: null };
  }
  const verdict = adapter.judgeClientCheck(await adapter.readOAuthRefusal(response), response.status);
  return { ...verdict, field: verdict.status === 'invalid_credentials' ? 'clientSecret' : null };
}
