import type { Clock } from '../clock.ts';
import type { GrantType, OAuthStore, RefreshToken } from '../store/oauth-store.ts';
import { generateAccessTokenValue, generateAlphanumeric, hashOpaqueToken } from './opaque-token.ts';
import { expandScopes, formatScopeList, type Scope } from './scopes.ts';

/** Bitbucket access tokens live two hours (`expires_in: 7200`). */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 7200;

/**
 * The token response as Bitbucket sends it. Its `state` field names the grant type
 * ("authorization_code", "refresh_token", "client_credentials"); it is not the authorize
 * request's state. Observed on bitbucket.org, not documented.
 */
export interface TokenResponseBody {
  access_token: string;
  scopes: string;
  token_type: 'bearer';
  expires_in: number;
  state: GrantType;
  refresh_token: string;
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

  /** Issues an access token with a new refresh token (authorization_code, client_credentials). */
  issueWithNewRefreshToken(subject: NewTokenSubject): TokenResponseBody {
    const now = this.clock.now();
    const scopes = expandScopes(subject.scopes);
    const refreshValue = generateAlphanumeric(18);
    return this.oauth.transaction(() => {
      const refreshTokenId = this.oauth.createRefreshToken({
        tokenHash: hashOpaqueToken(refreshValue),
        consumerId: subject.consumerId,
        userId: subject.userId,
        grantId: subject.grantId,
        codeId: subject.codeId,
        scopes,
        createdAt: now,
      });
      const accessValue = this.storeAccessToken({ ...subject, scopes }, refreshTokenId, now);
      return responseBody(accessValue, scopes, subject.grantType, refreshValue);
    });
  }

  /**
   * Issues a new access token for a refresh token. Bitbucket answers with the same refresh
   * token again (refresh tokens do not rotate or expire); observed behaviour, not documented.
   * Earlier access tokens stay valid until they expire.
   */
  issueForRefreshToken(refreshToken: RefreshToken, refreshValue: string): TokenResponseBody {
    const now = this.clock.now();
    const subject: NewTokenSubject = {
      consumerId: refreshToken.consumerId,
      userId: refreshToken.userId,
      grantId: refreshToken.grantId,
      codeId: refreshToken.codeId,
      scopes: refreshToken.scopes,
      grantType: 'refresh_token',
    };
    const accessValue = this.storeAccessToken(subject, refreshToken.id, now);
    return responseBody(accessValue, refreshToken.scopes, 'refresh_token', refreshValue);
  }

  private storeAccessToken(subject: NewTokenSubject, refreshTokenId: number, now: number): string {
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
  refreshValue: string,
): TokenResponseBody {
  return {
    access_token: accessValue,
    scopes: formatScopeList(scopes),
    token_type: 'bearer',
    expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
    state: grantType,
    refresh_token: refreshValue,
  };
}
