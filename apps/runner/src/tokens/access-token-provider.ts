import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import type { RunnerIntegrationConfig } from '@runner-console/contracts';
import type { RunnerConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { IntegrationRegistry } from '../integrations/integration-registry.ts';
import { authorizationServerOf, endpointsFor } from '../providers/provider-endpoints.ts';
import { adapterFor } from '../providers/provider-registry.ts';
import type { OAuthRefusal, ProviderAdapter } from '../providers/provider-adapter.ts';
import { getScmProvider, type ScmProviderId } from '@runner-console/scm-providers';
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

/** How long a refresh may hold its lease: longer than the token request's own timeout. */
const defaultRefreshLeaseMs = 30_000;

/**
 * A usable access token for a user and integration, refreshed when it has expired (Bitbucket access
 * tokens live 2 hours, GitHub App user tokens 8). Providers that rotate refresh tokens
 * (adapter.refresh.rotates) spend the stored one on each refresh. So:
 * - concurrent callers share one refresh per token (in this process), and a lease in the store
 *   makes any other process sharing it wait instead of spending the same refresh token;
 * - the rotated refresh token is stored (compare-and-swap, with its access token, in one write)
 *   before the new access token is handed to anyone;
 * - a refresh that the provider refuses because another one just rotated the token re-reads the
 *   store instead of marking the connection revoked;
 * - a lease left by a process that died after the provider answered makes a refused refresh end as
 *   "Connect again" with that reason, never as a token that silently stopped working.
 */
export function createAccessTokenProvider(deps: {
  config: RunnerConfig;
  store: TokenStore;
  registry: IntegrationRegistry;
  log: Logger;
  /** Tests shorten it; the default outlasts a token request. */
  refreshLeaseMs?: number;
  /** Test seam: runs between the provider's answer to a refresh and the store write (a test kills the process here). */
  afterRefreshAnswered?: () => void;
}) {
  const inFlight = new Map<string, Promise<StoredToken>>();
  const leaseMs = deps.refreshLeaseMs ?? defaultRefreshLeaseMs;
  /** Names this provider's leases: its own earlier lease (a lost answer) never makes it wait. */
  const leaseOwner = randomUUID();

  async function refresh(token: StoredToken, integration: RunnerIntegrationConfig, attempt = 0): Promise<StoredToken> {
    // The secret first: failing to open it must not leave a lease behind.
    const secret = await deps.registry.openSecret(integration);
    const lease = deps.store.beginRefresh(token.id, { leaseMs, owner: leaseOwner });
    if (lease.status === 'gone') throw new TokenUnavailableError('not_connected', 'This connection was removed. Click Connect.');
    if (lease.status === 'busy') return waitForOtherRefresh(token, integration, attempt);
    // Someone may have rotated the token since the caller read it: use theirs.
    const current = deps.store.find(token.userId, token.integrationId);
    if (!current || current.id !== token.id) {
      deps.store.endRefresh(token.id);
      throw new TokenUnavailableError('not_connected', 'This connection was removed. Click Connect.');
    }
    if (current.needsReauthorization) throw new TokenUnavailableError('needs_reauthorization', current.reauthorizeReason ?? 'Connect again.');
    if (current.refreshToken !== token.refreshToken && !isExpired(current)) {
      deps.store.endRefresh(token.id);
      return current;
    }
    const adapter = adapterFor(integration.provider);
    const spent = current.refreshToken;
    if (!spent) throw reauth(current, adapter.refresh.reasons.noRefreshToken);

    const endpoints = endpointsFor(deps.config, integration);
    const client: oauth.Client = { client_id: integration.clientId ?? '' };
    let response: Response;
    let authorizationServer: oauth.AuthorizationServer;
    try {
      authorizationServer = await authorizationServerOf(endpoints);
      // Entra falls back to default scopes (or refuses) unless a refresh names them again.
      const additionalParameters = adapter.refreshParameters?.();
      response = await oauth.refreshTokenGrantRequest(authorizationServer, client, adapter.clientAuthentication(secret), spent, {
        ...endpoints.requestOptions,
        ...(additionalParameters ? { additionalParameters } : {}),
        signal: AbortSignal.timeout(15_000),
      });
    } catch {
      // The request may have reached the provider and rotated the token: the lease stays, so the
      // next refresh knows to explain a refusal.
      throw new TokenUnavailableError('provider_unreachable', `${adapter.name} could not be reached to refresh your connection. Try again in a moment.`);
    }
    let result: oauth.TokenEndpointResponse;
    try {
      // Some providers answer an error with HTTP 200 (GitHub): the adapter reads the body first.
      const answered = await adapter.readOAuthRefusal(response.clone());
      if (answered) throw answered;
      result = await oauth.processRefreshTokenResponse(authorizationServer, client, response);
    } catch (err) {
      const refusal = err instanceof Error ? await adapter.readOAuthRefusal(err) : (err as OAuthRefusal);
      if (refusal && (refusal.error === 'invalid_grant' || refusal.error === 'unauthorized_client' || refusal.error === 'invalid_client' || refusal.status === 401)) {
        return afterRefusal(adapter, current, spent, integration, refusal, lease.interrupted, attempt);
      }
      deps.store.endRefresh(token.id);
      throw new TokenUnavailableError('provider_unreachable', `${adapter.name} could not refresh your connection right now. Try again in a moment.`);
    }
    deps.afterRefreshAnswered?.();
    const scopes = adapter.grantedScopes(result, response.headers);
    const stored = deps.store.replaceRefresh(current.id, spent, {
      accessToken: result.access_token,
      // Rotating providers always send a new one; keeping the spent one would only postpone a failure.
      refreshToken: result.refresh_token ?? spent,
      expiresAt: result.expires_in ? new Date(Date.now() + result.expires_in * 1000).toISOString() : null,
      scopes: scopes.length ? scopes : current.scopes,
    });
    if (stored) return stored;
    // The stored refresh token changed while ours was in flight (a reconnect): theirs wins.
    const now = deps.store.find(token.userId, token.integrationId);
    if (now) return now;
    throw new TokenUnavailableError('not_connected', 'This connection was removed. Click Connect.');
  }

  /** The provider refused the refresh token we sent. Find out why before telling the user. */
  async function afterRefusal(
    adapter: ProviderAdapter,
    sent: StoredToken,
    spent: string,
    integration: RunnerIntegrationConfig,
    refusal: OAuthRefusal,
    interrupted: boolean,
    attempt: number,
  ): Promise<StoredToken> {
    const reasons = adapter.refresh.reasons;
    const current = deps.store.find(sent.userId, sent.integrationId);
    if (current && current.refreshToken !== spent) {
      // Lost a race: another refresh (or a reconnect) stored a newer token. Use it.
      deps.store.endRefresh(sent.id);
      if (!isExpired(current) || attempt > 0) return current;
      return refresh(current, integration, attempt + 1);
    }
    const meaning = adapter.refresh.classifyRefusal(refusal);
    if (meaning === 'revoked') throw reauth(sent, reasons.revoked);
    const idleFor = Date.now() - Date.parse(sent.updatedAt);
    const idleLimit = adapter.refresh.idleExpiryMs;
    if (meaning === 'idle' || (idleLimit !== null && idleFor >= idleLimit)) throw reauth(sent, reasons.idle);
    if (interrupted) throw reauth(sent, reasons.interrupted);
    throw reauth(sent, reasons.revoked);
  }

  /** Another process holds the lease: wait for its result rather than spend the same refresh token. */
  async function waitForOtherRefresh(token: StoredToken, integration: RunnerIntegrationConfig, attempt: number): Promise<StoredToken> {
    const deadline = Date.now() + leaseMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const current = deps.store.find(token.userId, token.integrationId);
      if (!current) throw new TokenUnavailableError('not_connected', 'This connection was removed. Click Connect.');
      if (current.needsReauthorization) throw new TokenUnavailableError('needs_reauthorization', current.reauthorizeReason ?? 'Connect again.');
      if (current.refreshToken !== token.refreshToken && !isExpired(current)) return current;
    }
    // The lease ran out: its holder died. Refresh ourselves (the lease will say it was interrupted).
    return refresh(token, integration, attempt);
  }

  function reauth(token: StoredToken, reason: string): TokenUnavailableError {
    deps.store.markNeedsReauthorization(token, reason);
    deps.log.info({ userId: token.userId, integrationId: token.integrationId }, 'connection needs re-authorization');
    return new TokenUnavailableError('needs_reauthorization', reason);
  }

  /** An API token cannot be refreshed: past its expiry (or refused by the provider) it must be entered again. */
  function apiTokenUnusable(token: StoredToken, integration: RunnerIntegrationConfig, why: 'expired' | 'refused'): TokenUnavailableError {
    return reauth(token, why === 'expired' ? apiTokenExpiredReason(integration.provider, token.expiresAt) : apiTokenRefusedReason(integration.provider));
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
      if (current.needsReauthorization) throw new TokenUnavailableError('needs_reauthorization', current.reauthorizeReason ?? 'Connect again.');
      if (current.accessToken !== stale.accessToken) return current;
      if (current.kind === 'api_token') throw apiTokenUnusable(current, integration, 'refused');
      return sharedRefresh(current, integration);
    },
    async getToken(userId: string, integration: RunnerIntegrationConfig): Promise<StoredToken> {
      const token = deps.store.find(userId, integration.id);
      if (!token) throw new TokenUnavailableError('not_connected', `You have not connected your ${integration.host} account on this runner yet. Click Connect.`);
      if (token.needsReauthorization) throw new TokenUnavailableError('needs_reauthorization', token.reauthorizeReason ?? 'Connect again.');
      // "Last used" in Runner › Connections: every use of a token comes through here.
      deps.store.markUsed(token.id);
      if (!isExpired(token)) return token;
      if (token.kind === 'api_token') throw apiTokenUnusable(token, integration, 'expired');
      return sharedRefresh(token, integration);
    },
  };
}
export type AccessTokenProvider = ReturnType<typeof createAccessTokenProvider>;

/** "Your Bitbucket API token expired on 2027-03-01. Create a new one and enter it with “Use an API token instead”." */
export function apiTokenExpiredReason(provider: ScmProviderId | undefined, expiresAt: string | null): string {
  const entry = provider ? getScmProvider(provider) : undefined;
  const label = entry?.apiTokens?.label ?? 'token';
  const day = expiresAt ? new Date(expiresAt).toISOString().slice(0, 10) : null;
  return `Your ${entry ? `${entry.name} ` : ''}${label} expired${day ? ` on ${day}` : ''}. Create a new one and enter it with “Use ${article(label)} ${label} instead”.`;
}

export function apiTokenRefusedReason(provider: ScmProviderId): string {
  const { name, apiTokens } = getScmProvider(provider);
  const label = apiTokens?.label ?? 'token';
  return `${name} no longer accepts your ${label}: it was revoked or has expired. Create a new one and enter it with “Use ${article(label)} ${label} instead”.`;
}

function article(word: string): string {
  return /^[aeiouAEIOU]/.test(word) ? 'an' : 'a';
}
