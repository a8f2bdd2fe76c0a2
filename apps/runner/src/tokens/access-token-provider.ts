import * as oauth from 'oauth4webapi';
import type { RunnerIntegrationConfig } from '@runner-console/contracts';
import type { RunnerConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { IntegrationRegistry } from '../integrations/integration-registry.ts';
import { endpointsForHost } from '../oauth/provider-endpoints.ts';
import type { StoredToken, TokenStore } from './token-store.ts';

export class TokenUnavailableError extends Error {
  constructor(
    readonly code: 'not_connected' | 'needs_reauthorization' | 'provider_unreachable',
    message: string,
  ) {
    super(message);
  }
}

/** Refresh a little before expiry, so a token does not expire in the middle of a clone. */
const refreshMarginMs = 60_000;

/** Bitbucket answers `scopes` (space-separated) in token responses, not the standard `scope`. */
export function grantedScopes(response: oauth.TokenEndpointResponse): string[] {
  const raw = (response as { scopes?: unknown }).scopes ?? response.scope ?? '';
  return String(raw).split(/\s+/).filter(Boolean);
}

/**
 * A usable access token for a user and integration, refreshed when it has expired (Bitbucket access
 * tokens live 2 hours). Concurrent callers share one refresh per token. A refresh that Bitbucket
 * refuses (the grant was revoked) marks the connection as needing Connect again.
 */
export function createAccessTokenProvider(deps: { config: RunnerConfig; store: TokenStore; registry: IntegrationRegistry; log: Logger }) {
  const inFlight = new Map<string, Promise<StoredToken>>();

  async function refresh(token: StoredToken, integration: RunnerIntegrationConfig): Promise<StoredToken> {
    if (!token.refreshToken) throw reauth(token, 'Bitbucket gave no refresh token. Connect again.');
    const endpoints = endpointsForHost(deps.config, integration.host);
    const client: oauth.Client = { client_id: integration.clientId ?? '' };
    const secret = await deps.registry.openSecret(integration);
    let response: Response;
    try {
      response = await oauth.refreshTokenGrantRequest(endpoints.authorizationServer, client, oauth.ClientSecretBasic(secret), token.refreshToken, {
        ...endpoints.requestOptions,
        signal: AbortSignal.timeout(15_000),
      });
    } catch {
      throw new TokenUnavailableError('provider_unreachable', 'Bitbucket could not be reached to refresh your connection. Try again in a moment.');
    }
    try {
      const result = await oauth.processRefreshTokenResponse(endpoints.authorizationServer, client, response);
      return deps.store.updateAccess(token, {
        accessToken: result.access_token,
        refreshToken: result.refresh_token ?? token.refreshToken,
        expiresAt: result.expires_in ? new Date(Date.now() + result.expires_in * 1000).toISOString() : null,
        scopes: grantedScopes(result).length ? grantedScopes(result) : token.scopes,
      });
    } catch (err) {
      if (err instanceof oauth.ResponseBodyError && (err.error === 'invalid_grant' || err.status === 401 || err.error === 'invalid_client')) {
        // A refresh lost in a race is not a failure: if another refresh already stored a newer token, use it.
        const current = deps.store.find(token.userId, token.integrationId);
        if (current && current.accessToken !== token.accessToken && !isExpired(current)) return current;
        throw reauth(token, 'Bitbucket no longer accepts this connection (access was revoked or the OAuth consumer changed). Connect again.');
      }
      throw new TokenUnavailableError('provider_unreachable', 'Bitbucket could not refresh your connection right now. Try again in a moment.');
    }
  }

  function reauth(token: StoredToken, reason: string): TokenUnavailableError {
    deps.store.markNeedsReauthorization(token, reason);
    deps.log.info({ userId: token.userId, integrationId: token.integrationId }, 'connection needs re-authorization');
    return new TokenUnavailableError('needs_reauthorization', reason);
  }

  /** An API token cannot be refreshed: past its expiry (or refused by Bitbucket) it must be entered again. */
  function apiTokenUnusable(token: StoredToken, why: 'expired' | 'refused'): TokenUnavailableError {
    const day = token.expiresAt ? new Date(token.expiresAt).toISOString().slice(0, 10) : null;
    return reauth(
      token,
      why === 'expired'
        ? `Your Bitbucket API token expired${day ? ` on ${day}` : ''}. Create a new one and enter it with “Use an API token instead”.`
        : 'Bitbucket no longer accepts your API token: it was revoked or has expired. Create a new one and enter it with “Use an API token instead”.',
    );
  }

  function isExpired(token: StoredToken): boolean {
    if (token.kind === 'api_token') return token.expiresAt !== null && Date.parse(token.expiresAt) <= Date.now();
    return token.expiresAt !== null && Date.parse(token.expiresAt) - refreshMarginMs <= Date.now();
  }

  function sharedRefresh(token: StoredToken, integration: RunnerIntegrationConfig): Promise<StoredToken> {
    let pending = inFlight.get(token.id);
    if (!pending) {
      pending = refresh(token, integration).finally(() => inFlight.delete(token.id));
      inFlight.set(token.id, pending);
    }
    return pending;
  }

  return {
    isExpired,
    /**
     * The provider said the token is no longer valid (401) although our clock thinks it is: refresh
     * once, unless someone else already stored a newer token.
     */
    async refreshAfterRejection(stale: StoredToken, integration: RunnerIntegrationConfig): Promise<StoredToken> {
      const current = deps.store.find(stale.userId, stale.integrationId);
      if (!current) throw new TokenUnavailableError('not_connected', 'This connection was removed. Click Connect.');
      if (current.accessToken !== stale.accessToken) return current;
      if (current.kind === 'api_token') throw apiTokenUnusable(current, 'refused');
      return sharedRefresh(current, integration);
    },
    async getToken(userId: string, integration: RunnerIntegrationConfig): Promise<StoredToken> {
      const token = deps.store.find(userId, integration.id);
      if (!token) throw new TokenUnavailableError('not_connected', `You have not connected your ${integration.host} account on this runner yet. Click Connect.`);
      if (token.needsReauthorization) throw new TokenUnavailableError('needs_reauthorization', token.reauthorizeReason ?? 'Connect again.');
      if (!isExpired(token)) return token;
      if (token.kind === 'api_token') throw apiTokenUnusable(token, 'expired');
      return sharedRefresh(token, integration);
    },
  };
}
export type AccessTokenProvider = ReturnType<typeof createAccessTokenProvider>;
