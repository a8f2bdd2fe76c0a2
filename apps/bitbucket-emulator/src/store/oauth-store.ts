import { formatScopeList, parseScopeList, type Scope } from '../oauth/scopes.ts';
import type { Db } from './database.ts';

/**
 * "Refresh tokens that are not used for 3 months will expire" (Bitbucket Cloud, enforced since
 * 4 May 2026). Each use rotates the token, so a token's idle deadline is 3 months after it was issued.
 */
export const REFRESH_TOKEN_IDLE_LIFETIME_MS = 90 * 24 * 3600 * 1000;

/** A user's authorization of a consumer: what "Grant access" records. */
export interface Grant {
  id: number;
  userId: number;
  consumerId: number;
  scopes: Scope[];
  createdAt: number;
  revokedAt: number | null;
}

export interface AuthorizationCode {
  id: number;
  consumerId: number;
  userId: number;
  grantId: number;
  /** The redirect_uri sent to /authorize, which the token request must repeat; null if none was sent. */
  redirectUri: string | null;
  scopes: Scope[];
  expiresAt: number;
  usedAt: number | null;
}

export interface RefreshToken {
  id: number;
  consumerId: number;
  userId: number;
  grantId: number | null;
  codeId: number | null;
  scopes: Scope[];
  createdAt: number;
  /** When it was used (and so replaced by a new one); a used refresh token never works again. */
  replacedAt: number | null;
  /** It expires unused at this time (3 months after it was issued). */
  expiresAt: number;
  revokedAt: number | null;
}

export type GrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';

export interface AccessToken {
  id: number;
  consumerId: number;
  userId: number;
  grantId: number | null;
  codeId: number | null;
  refreshTokenId: number | null;
  grantType: GrantType;
  /** Granted scopes, already expanded with what they imply. */
  scopes: Scope[];
  expiresAt: number;
  revokedAt: number | null;
}

interface GrantRow {
  id: number;
  user_id: number;
  consumer_id: number;
  scopes: string;
  created_at: number;
  revoked_at: number | null;
}

interface CodeRow {
  id: number;
  consumer_id: number;
  user_id: number;
  grant_id: number;
  redirect_uri: string | null;
  scopes: string;
  expires_at: number;
  used_at: number | null;
}

interface RefreshTokenRow {
  id: number;
  consumer_id: number;
  user_id: number;
  grant_id: number | null;
  code_id: number | null;
  scopes: string;
  created_at: number;
  replaced_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
}

interface AccessTokenRow {
  id: number;
  consumer_id: number;
  user_id: number;
  grant_id: number | null;
  code_id: number | null;
  refresh_token_id: number | null;
  grant_type: GrantType;
  scopes: string;
  expires_at: number;
  revoked_at: number | null;
}

export interface NewCode {
  codeHash: string;
  consumerId: number;
  userId: number;
  grantId: number;
  redirectUri: string | null;
  scopes: Scope[];
  expiresAt: number;
}

export interface NewRefreshToken {
  tokenHash: string;
  consumerId: number;
  userId: number;
  grantId: number | null;
  codeId: number | null;
  scopes: Scope[];
  createdAt: number;
  expiresAt: number;
}

export interface NewAccessToken {
  tokenHash: string;
  consumerId: number;
  userId: number;
  grantId: number | null;
  codeId: number | null;
  refreshTokenId: number | null;
  grantType: GrantType;
  scopes: Scope[];
  createdAt: number;
  expiresAt: number;
}

/** Grants, authorization codes, refresh tokens and access tokens. Secrets are stored as hashes only. */
export class OAuthStore {
  constructor(private readonly db: Db) {}

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  findActiveGrant(userId: number, consumerId: number): Grant | undefined {
    const row = this.db
      .prepare<[number, number], GrantRow>(
        `SELECT * FROM grants WHERE user_id = ? AND consumer_id = ? AND revoked_at IS NULL
         ORDER BY id DESC LIMIT 1`,
      )
      .get(userId, consumerId);
    return row && toGrant(row);
  }

  findGrant(id: number): Grant | undefined {
    const row = this.db.prepare<[number], GrantRow>('SELECT * FROM grants WHERE id = ?').get(id);
    return row && toGrant(row);
  }

  createGrant(userId: number, consumerId: number, scopes: Scope[], now: number): Grant {
    const result = this.db
      .prepare('INSERT INTO grants (user_id, consumer_id, scopes, created_at) VALUES (?, ?, ?, ?)')
      .run(userId, consumerId, formatScopeList(scopes), now);
    return {
      id: Number(result.lastInsertRowid),
      userId,
      consumerId,
      scopes,
      createdAt: now,
      revokedAt: null,
    };
  }

  /** Revokes a user's grants (for one consumer, or all) with every token issued under them. */
  revokeGrants(userId: number, consumerId: number | undefined, now: number): number {
    return this.transaction(() => {
      const grants = this.db
        .prepare<[number, number | null, number | null], { id: number }>(
          `SELECT id FROM grants WHERE user_id = ? AND (? IS NULL OR consumer_id = ?) AND revoked_at IS NULL`,
        )
        .all(userId, consumerId ?? null, consumerId ?? null);
      for (const grant of grants) {
        this.db.prepare('UPDATE grants SET revoked_at = ? WHERE id = ?').run(now, grant.id);
        this.db
          .prepare(
            'UPDATE access_tokens SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL',
          )
          .run(now, grant.id);
        this.db
          .prepare(
            'UPDATE refresh_tokens SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL',
          )
          .run(now, grant.id);
      }
      return grants.length;
    });
  }

  createCode(code: NewCode): void {
    this.db
      .prepare(
        `INSERT INTO authorization_codes (code_hash, consumer_id, user_id, grant_id, redirect_uri, scopes, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        code.codeHash,
        code.consumerId,
        code.userId,
        code.grantId,
        code.redirectUri,
        formatScopeList(code.scopes),
        code.expiresAt,
      );
  }

  findCodeByHash(codeHash: string): AuthorizationCode | undefined {
    const row = this.db
      .prepare<[string], CodeRow>('SELECT * FROM authorization_codes WHERE code_hash = ?')
      .get(codeHash);
    return row && toCode(row);
  }

  /** Marks a code used; false when it already was (a replay). */
  markCodeUsed(codeId: number, now: number): boolean {
    const result = this.db
      .prepare('UPDATE authorization_codes SET used_at = ? WHERE id = ? AND used_at IS NULL')
      .run(now, codeId);
    return result.changes === 1;
  }

  /** Revokes every token issued from a code, including those minted later with its refresh token. */
  revokeTokensFromCode(codeId: number, now: number): void {
    this.transaction(() => {
      this.db
        .prepare('UPDATE access_tokens SET revoked_at = ? WHERE code_id = ? AND revoked_at IS NULL')
        .run(now, codeId);
      this.db
        .prepare(
          'UPDATE refresh_tokens SET revoked_at = ? WHERE code_id = ? AND revoked_at IS NULL',
        )
        .run(now, codeId);
    });
  }

  createRefreshToken(token: NewRefreshToken): number {
    const result = this.db
      .prepare(
        `INSERT INTO refresh_tokens (token_hash, consumer_id, user_id, grant_id, code_id, scopes, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        token.tokenHash,
        token.consumerId,
        token.userId,
        token.grantId,
        token.codeId,
        formatScopeList(token.scopes),
        token.createdAt,
        token.expiresAt,
      );
    return Number(result.lastInsertRowid);
  }

  /**
   * Marks a refresh token used, so it never works again; false when it already was, or was
   * revoked. A compare-and-set, so of two requests with the same token only one rotates it.
   */
  markRefreshTokenReplaced(id: number, now: number): boolean {
    const result = this.db
      .prepare(
        'UPDATE refresh_tokens SET replaced_at = ? WHERE id = ? AND replaced_at IS NULL AND revoked_at IS NULL',
      )
      .run(now, id);
    return result.changes === 1;
  }

  /** Test knob: makes a user's live access tokens expire now. */
  expireAccessTokens(userId: number, now: number): number {
    return this.db
      .prepare(
        'UPDATE access_tokens SET expires_at = ? WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?',
      )
      .run(now, userId, now).changes;
  }

  /** Test knob: makes a user's unused refresh tokens expire now, as 3 months without use would. */
  expireRefreshTokens(userId: number, now: number): number {
    return this.db
      .prepare(
        'UPDATE refresh_tokens SET expires_at = ? WHERE user_id = ? AND replaced_at IS NULL AND revoked_at IS NULL',
      )
      .run(now, userId).changes;
  }

  findRefreshTokenByHash(tokenHash: string): RefreshToken | undefined {
    const row = this.db
      .prepare<[string], RefreshTokenRow>('SELECT * FROM refresh_tokens WHERE token_hash = ?')
      .get(tokenHash);
    return row && toRefreshToken(row);
  }

  createAccessToken(token: NewAccessToken): void {
    this.db
      .prepare(
        `INSERT INTO access_tokens (token_hash, consumer_id, user_id, grant_id, code_id, refresh_token_id, grant_type,
           scopes, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        token.tokenHash,
        token.consumerId,
        token.userId,
        token.grantId,
        token.codeId,
        token.refreshTokenId,
        token.grantType,
        formatScopeList(token.scopes),
        token.createdAt,
        token.expiresAt,
      );
  }

  findAccessTokenByHash(tokenHash: string): AccessToken | undefined {
    const row = this.db
      .prepare<[string], AccessTokenRow>('SELECT * FROM access_tokens WHERE token_hash = ?')
      .get(tokenHash);
    return row && toAccessToken(row);
  }
}

function toGrant(row: GrantRow): Grant {
  return {
    id: row.id,
    userId: row.user_id,
    consumerId: row.consumer_id,
    scopes: parseScopeList(row.scopes),
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

function toCode(row: CodeRow): AuthorizationCode {
  return {
    id: row.id,
    consumerId: row.consumer_id,
    userId: row.user_id,
    grantId: row.grant_id,
    redirectUri: row.redirect_uri,
    scopes: parseScopeList(row.scopes),
    expiresAt: row.expires_at,
    usedAt: row.used_at,
  };
}

function toRefreshToken(row: RefreshTokenRow): RefreshToken {
  return {
    id: row.id,
    consumerId: row.consumer_id,
    userId: row.user_id,
    grantId: row.grant_id,
    codeId: row.code_id,
    scopes: parseScopeList(row.scopes),
    createdAt: row.created_at,
    replacedAt: row.replaced_at,
    // Tokens issued before rotation was introduced expire 3 months after they were issued.
    expiresAt: row.expires_at ?? row.created_at + REFRESH_TOKEN_IDLE_LIFETIME_MS,
    revokedAt: row.revoked_at,
  };
}

function toAccessToken(row: AccessTokenRow): AccessToken {
  return {
    id: row.id,
    consumerId: row.consumer_id,
    userId: row.user_id,
    grantId: row.grant_id,
    codeId: row.code_id,
    refreshTokenId: row.refresh_token_id,
    grantType: row.grant_type,
    scopes: parseScopeList(row.scopes),
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}
