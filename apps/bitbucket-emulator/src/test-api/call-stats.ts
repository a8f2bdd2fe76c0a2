import type { GrantType } from '../store/oauth-store.ts';

export interface CallStatsSnapshot {
  /** Token endpoint requests per grant type, whatever their outcome. */
  tokenCalls: Record<GrantType, number>;
  /**
   * Token endpoint requests that presented a consumer's correct secret, per consumer key. A test that
   * must show a secret was never used counts here, so other clients' calls (a background validation
   * with another secret) cannot blur the figure.
   */
  authenticatedTokenCalls: Record<string, number>;
  /** Token endpoint refusals per OAuth error code. */
  tokenErrors: Record<string, number>;
  authorizeCalls: number;
  apiCalls: number;
  gitCalls: number;
}

/** Counters the product's tests read to check, for example, that a token was refreshed once. */
export class CallStats {
  private counters: CallStatsSnapshot = emptyCounters();

  countToken(grantType: string): void {
    if (
      grantType === 'authorization_code' ||
      grantType === 'refresh_token' ||
      grantType === 'client_credentials'
    ) {
      this.counters.tokenCalls[grantType] += 1;
    }
  }

  countAuthenticatedToken(consumerKey: string): void {
    this.counters.authenticatedTokenCalls[consumerKey] = (this.counters.authenticatedTokenCalls[consumerKey] ?? 0) + 1;
  }

  countTokenError(code: string): void {
    this.counters.tokenErrors[code] = (this.counters.tokenErrors[code] ?? 0) + 1;
  }

  countAuthorize(): void {
    this.counters.authorizeCalls += 1;
  }

  countApi(): void {
    this.counters.apiCalls += 1;
  }

  countGit(): void {
    this.counters.gitCalls += 1;
  }

  snapshot(): CallStatsSnapshot {
    return structuredClone(this.counters);
  }

  reset(): void {
    this.counters = emptyCounters();
  }
}

function emptyCounters(): CallStatsSnapshot {
  return {
    tokenCalls: { authorization_code: 0, refresh_token: 0, client_credentials: 0 },
    authenticatedTokenCalls: {},
    tokenErrors: {},
    authorizeCalls: 0,
    apiCalls: 0,
    gitCalls: 0,
  };
}
