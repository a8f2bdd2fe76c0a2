import type { Clock } from '@runner-console/emulator-kit';
import {
  REFRESH_TOKEN_IDLE_LIFETIME_MS,
  type GrantType,
  type OAuthStore,
  type RefreshToken,
} from '../store/oauth-store.ts';
import { generateAccessTokenValue, generateAlphanumeric, hashOpaqueToken } from '@runner-console/emulator-kit';
import { expandScopes, formatScopeList, type Scope } from './scopes.ts';

/** Bitbucket access tokens live two hours (`expires_in: 7200`). */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 7200;

/**
 * The token response as Bitbucket sends it since 4 May 2026: `scope` (space-separated, no longer
 * `scopes`), and a refresh token except for client_credentials. Its `state` field names the grant
 * type ("authorization_code", "refresh_token", "client_credentials"); it is not the authorize
 * request's state. Observed on bitbucket.org, not documented.
 * https://developer.atlassian.com/cloud/bitbucket/oauth-2/
 */
export interface TokenResponseBody {
  access_token: string;
  scope: string;
  token_type: 'bearer';
  expires_in: number;
  state: GrantType;
  refresh_token?: string;
}

export interface NewTokenSubject {
  consumerId: number;
  userId: number;
  grantId: number | null;
  codeId: number | null;
  /** Scopes as configured on the consumer; they are expanded with what they imply. */
  scopes: readonly Scope[];
  grantType: GrantType;
}

export class TokenIssuer {
  constructor(
    private readonly oauth: OAuthStore,
    private readonly clock: Clock,
  ) {}

  /** authorization_code: an access token and a new refresh token. */
  issueWithNewRefreshToken(subject: NewTokenSubject): TokenResponseBody {
    const now = this.clock.now();
    const scopes = expandScopes(subject.scopes);
    return this.oauth.transaction(() => {
      const refresh = this.createRefreshToken({ ...subject, scopes }, now);
      const accessValue = this.storeAccessToken({ ...subject, scopes }, refresh.id, now);
      return responseBody(accessValue, scopes, subject.grantType, refresh.value);
    });
  }

  /** client_credentials: an access token only; since May 2026 this grant issues no refresh token. */
  issueWithoutRefreshToken(subject: NewTokenSubject): TokenResponseBody {
    const now = this.clock.now();
    const scopes = expandScopes(subject.scopes);
    const accessValue = this.storeAccessToken({ ...subject, scopes }, null, now);
    return responseBody(accessValue, scopes, subject.grantType, undefined);
  }

  /**
   * refresh_token: rotates the refresh token. The one used stops working and a new one comes
   * with the new access token, in one transaction; of two requests with the same refresh token
   * only the first succeeds (the other gets invalid_grant). Earlier access tokens stay valid
   * until they expire, and a replayed refresh token does not revoke its successors (both
   * inferred: Bitbucket's announcement says only that the old token "stops working").
   */
  rotateRefreshToken(refreshToken: RefreshToken): TokenResponseBody | undefined {
    const now = this.clock.now();
    const subject: NewTokenSubject = {
      consumerId: refreshToken.consumerId,
      userId: refreshToken.userId,
      grantId: refreshToken.grantId,
      codeId: refreshToken.codeId,
      scopes: refreshToken.scopes,
      grantType: 'refresh_token',
    };
    return this.oauth.transaction(() => {
      if (!this.oauth.markRefreshTokenReplaced(refreshToken.id, now)) return undefined;
      const next = this.createRefreshToken(subject, now);
      const accessValue = this.storeAccessToken(subject, next.id, now);
      return responseBody(accessValue, refreshToken.scopes, 'refresh_token', next.value);
    });
  }

  private createRefreshToken(subject: NewTokenSubject, now: number): { id: number; value: string } {
    const value = generateAlphanumeric(18);
    const id = this.oauth.createRefreshToken({
      tokenHash: hashOpaqueToken(value),
      consumerId: subject.consumerId,
      userId: subject.userId,
      grantId: subject.grantId,
      codeId: subject.codeId,
      scopes: [...subject.scopes],
      createdAt: now,
      expiresAt: now + REFRESH_TOKEN_IDLE_LIFETIME_MS,
    });
    return { id, value };
  }

  private storeAccessToken(
    subject: NewTokenSubject,
    refreshTokenId: number | null,
    now: number,
  ): string {
    const value = generateAccessTokenValue();
    this.oauth.createAccessToken({
      tokenHash: hashOpaqueToken(value),
      consumerId: subject.consumerId,
      userId: subject.userId,
      grantId: subject.grantId,
      codeId: subject.codeId,
      refreshTokenId,
      grantType: subject.grantType,
      scopes: expandScopes(subject.scopes),
      createdAt: now,
      expiresAt: now + ACCESS_TOKEN_LIFETIME_SECONDS * 1000,
    });
    return value;
  }
}

function responseBody(
  accessValue: string,
  scopes: readonly Scope[],
  grantType: GrantType,
  refreshValue: string | undefined,
): TokenResponseBody {
  return {
    access_token: accessValue,
    scope: formatScopeList(scopes),
    token_type: 'bearer',
    expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
    state: grantType,
    ...(refreshValue === undefined ? {} : { refresh_token: refreshValue }),
  };
}
