import * as oauth from 'oauth4webapi';
import type { RunnerIntegrationConfig, ValidateIntegrationResult } from '@runner-console/contracts';
import type { RunnerConfig } from '../config.ts';
import { IntegrationError, type IntegrationRegistry } from '../integrations/integration-registry.ts';
import { endpointsForHost } from './provider-endpoints.ts';

/**
 * Prove a client ID and secret against the provider without a user: an authorization_code grant
 * with a code that cannot exist. The token endpoint authenticates the client first, so bitbucket.org
 * answers `400 unauthorized_client` ("Invalid OAuth client credentials") for a wrong key or secret
 * (RFC 6749 §5.2's `invalid_client` 401 is accepted too), and `invalid_grant` (400) for good
 * credentials with a bad code. client_credentials would only work for private consumers.
 * https://developer.atlassian.com/cloud/bitbucket/oauth-2/
 */
export async function validateClientCredentials(
  config: RunnerConfig,
  registry: IntegrationRegistry,
  integration: RunnerIntegrationConfig,
  callbackUrl: string,
  // A candidate's secret is not kept open in memory: it may never be saved.
  opts: { cacheSecret?: boolean } = {},
): Promise<ValidateIntegrationResult> {
  if (!integration.clientId) return { status: 'invalid_credentials', message: 'Enter the Client ID (Bitbucket calls it Key).', field: 'clientId' };
  let secret: string;
  try {
    secret = opts.cacheSecret === false ? await registry.openSecretUncached(integration) : await registry.openSecret(integration);
  } catch (err) {
    if (err instanceof IntegrationError && err.code === 'needs_new_secret') return { status: 'needs_new_secret', message: err.message, field: 'clientSecret' };
    if (err instanceof IntegrationError) return { status: 'invalid_credentials', message: err.message, field: 'clientSecret' };
    throw err;
  }
  const endpoints = endpointsForHost(config, integration.host);
  const client: oauth.Client = { client_id: integration.clientId };
  const params = oauth.validateAuthResponse(
    endpoints.authorizationServer,
    client,
    new URLSearchParams({ code: 'runner-console-credential-check' }),
    oauth.skipStateCheck,
  );
  let response: Response;
  try {
    response = await oauth.authorizationCodeGrantRequest(
      endpoints.authorizationServer,
      client,
      oauth.ClientSecretBasic(secret),
      params,
      callbackUrl,
      oauth.nopkce,
      { ...endpoints.requestOptions, signal: AbortSignal.timeout(10_000) },
    );
  } catch {
    return { status: 'provider_unreachable', message: `Bitbucket could not be reached from the runner (${endpoints.siteUrl}). Check the runner's network and try again.`, field: null };
  }
  const body = (await response
    .clone()
    .json()
    .catch(() => ({}))) as { error?: string };
  if (response.status === 401 || body.error === 'invalid_client' || body.error === 'unauthorized_client') {
    return { status: 'invalid_credentials', message: 'Bitbucket refused this Key and Secret. Copy both again from the OAuth consumer and save.', field: 'clientSecret' };
  }
  if (body.error === 'invalid_grant' || body.error === 'invalid_request') {
    return { status: 'valid', message: 'Bitbucket accepted the Key and Secret.', field: null };
  }
  return { status: 'provider_unreachable', message: `Bitbucket answered unexpectedly (HTTP ${response.status}). Try again later.`, field: null };
}
