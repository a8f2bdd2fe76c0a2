import type { ConnectApiTokenResult } from '@runner-console/contracts';
import { ConnectApiTokenParams } from '@runner-console/contracts';
import { EnvelopeError, inspectEnvelope, openClientSecret } from '@runner-console/envelope';
import { findProviderModule, getScmProvider, readApiTokenInput, type ScmProviderId } from '@runner-console/scm-providers';
import type { RunnerConfig } from '../config.ts';
import type { IntegrationRegistry } from '../integrations/integration-registry.ts';
import type { RunnerKeyring } from '../keys/runner-keys.ts';
import type { Logger } from '../logger.ts';
import { endpointsFor } from '../providers/provider-endpoints.ts';
import { adapterFor } from '../providers/provider-registry.ts';
import { apiTokenExpiredReason } from './access-token-provider.ts';
import type { TokenStore } from './token-store.ts';

/** A refusal with the code the BFF maps to a form field (contracts' apiTokenRefusalField). */
export class ApiTokenRefusal extends Error {
  constructor(
    readonly code:
      | 'token_refused'
      | 'wrong_email'
      | 'missing_scope'
      | 'app_password'
      | 'token_malformed'
      | 'token_expired'
      | 'envelope_refused'
      | 'no_integration'
      | 'provider_unreachable',
    message: string,
  ) {
    super(message);
  }
}

const DAY_MS = 86_400_000;

/**
 * Connect with a personal access token the developer pasted. Each check is one named step: the
 * integration takes tokens; the envelope is for this runner, host and user; the input is one of the
 * provider's tokens (not an old Bitbucket app password, not a GitHub installation token); its
 * expiry, when the developer gives it, is not past; the provider accepts it and says whose it is and
 * which scopes it has (the adapter's checkPersonalAccessToken); its scopes are enough. Only then is
 * it stored (encrypted, like OAuth tokens). A refused token is neither stored nor logged.
 */
export function createApiTokenConnector(deps: {
  config: RunnerConfig;
  registry: IntegrationRegistry;
  keyring: RunnerKeyring;
  store: TokenStore;
  log: Logger;
  fetch?: typeof fetch;
  now?: () => number;
}) {
  const httpFetch = deps.fetch ?? fetch;
  const now = deps.now ?? Date.now;

  async function openToken(envelope: string, host: string, userId: string): Promise<string> {
    const runnerId = deps.registry.runnerId;
    if (!runnerId) throw new ApiTokenRefusal('envelope_refused', 'The runner is not registered yet. Try again in a moment.');
    try {
      const sealedTo = deps.keyring.find(inspectEnvelope(envelope).kid) ?? deps.keyring.current;
      return await openClientSecret({ envelope, privateKey: sealedTo.privateKey, expected: { runnerId, kid: sealedTo.kid, host, userId } });
    } catch (err) {
      if (err instanceof EnvelopeError) {
        const message =
          err.code === 'wrong_user'
            ? 'This token was encrypted for another user. Enter your own token.'
            : err.code === 'wrong_runner'
              ? 'This token was encrypted for another runner. Reload the page and enter it again.'
              : err.code === 'wrong_host'
                ? 'This token was encrypted for another host. Reload the page and enter it again.'
                : 'The runner could not open the encrypted token. Reload the page and enter it again.';
        throw new ApiTokenRefusal('envelope_refused', message);
      }
      throw err;
    }
  }

  /** The developer's expiry date, for providers that do not say it themselves (Bitbucket). */
  function readExpiry(provider: ScmProviderId, expiresOn: string): string {
    const { name, apiTokens } = getScmProvider(provider);
    const label = apiTokens?.label ?? 'token';
    const end = Date.parse(`${expiresOn}T23:59:59.999Z`);
    if (Number.isNaN(end)) throw new ApiTokenRefusal('token_expired', 'Enter the expiry date you chose when you created the token.');
    if (end <= now()) throw new ApiTokenRefusal('token_expired', `That date has passed, so the token no longer works. Create a new ${name} ${label}.`);
    const maxDays = apiTokens?.maxLifetimeDays ?? 365;
    if (end > now() + (maxDays + 1) * DAY_MS) {
      throw new ApiTokenRefusal('token_expired', `${name} ${label}s last at most ${maxDays} days. Enter the expiry date shown for the token.`);
    }
    return new Date(end).toISOString();
  }

  return async function connectApiToken(params: unknown): Promise<ConnectApiTokenResult> {
    const p = ConnectApiTokenParams.parse(params);
    const integration = deps.registry.findByHost(p.host);
    if (!integration || !integration.patEnabled) {
      throw new ApiTokenRefusal('no_integration', `This runner does not take personal access tokens for ${p.host}. Ask an admin of your organization to turn them on.`);
    }
    const adapter = adapterFor(integration.provider);
    const rules = findProviderModule(integration.provider)?.tokenInput;
    const plaintext = await openToken(p.tokenEnvelope, integration.host, p.userId);
    const input = readApiTokenInput(integration.provider, { email: p.email, token: plaintext });
    if (!input.ok) throw new ApiTokenRefusal(input.code === 'email_invalid' ? 'wrong_email' : input.code === 'app_password' ? 'app_password' : 'token_malformed', input.message);
    const givenExpiry = rules?.needsExpiry ? readExpiry(integration.provider, p.expiresOn) : null;
    const endpoints = endpointsFor(deps.config, integration);
    const check = await adapter.checkPersonalAccessToken({ endpoints, token: input.token, email: input.email, expiresOn: p.expiresOn || null, fetch: httpFetch });
    if (!check.ok) throw new ApiTokenRefusal(check.code, check.message);
    const expiresAt = check.expiresAt ?? givenExpiry;
    if (expiresAt !== null && Date.parse(expiresAt) <= now()) throw new ApiTokenRefusal('token_expired', apiTokenExpiredReason(integration.provider, expiresAt));

    const saved = deps.store.save({
      kind: 'api_token',
      loginEmail: input.email,
      userId: p.userId,
      host: integration.host,
      integrationId: integration.id,
      clientId: '',
      accountName: check.account.name,
      accountUsername: check.account.username,
      accountUuid: check.account.id,
      email: check.account.email,
      scopes: check.scopes,
      accessToken: input.token,
      refreshToken: null,
      expiresAt,
    });
    deps.log.info({ userId: p.userId, integrationId: integration.id }, 'connected with a personal access token');
    return { accountName: saved.accountName, accountUsername: saved.accountUsername, email: saved.email, scopes: saved.scopes, expiresAt: saved.expiresAt };
  };
}
export type ApiTokenConnector = ReturnType<typeof createApiTokenConnector>;

/** Why a stored connection must be made again: its recorded reason, or an API token past its expiry date. */
export function reauthorizeReasonOf(
  token: { kind: string; expiresAt: string | null; needsReauthorization: boolean; reauthorizeReason: string | null },
  /** Undefined when the token's integration is gone (the token goes at the next reconcile). */
  provider: ScmProviderId | undefined,
  now = Date.now(),
): string | null {
  if (token.needsReauthorization) return token.reauthorizeReason ?? 'Connect again.';
  if (token.kind === 'api_token' && token.expiresAt !== null && Date.parse(token.expiresAt) <= now) return apiTokenExpiredReason(provider, token.expiresAt);
  return null;
}
