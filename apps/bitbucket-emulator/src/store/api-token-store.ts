import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './database.ts';
import { sortApiTokenScopes, type ApiTokenScope } from '../api-tokens/api-token-scopes.ts';

export interface ApiToken {
  id: number;
  userId: number;
  name: string;
  scopes: ApiTokenScope[];
  /** Epoch milliseconds (the emulator clock's). */
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  /** The first characters, to tell tokens apart on the settings page (never enough to use one). */
  prefix: string;
}

interface Row {
  id: number;
  user_id: number;
  name: string;
  token_hash: string;
  prefix: string;
  scopes: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

/** Atlassian lets a token live at most one year. */
export const MAX_API_TOKEN_LIFETIME_MS = 365 * 86_400_000;

/**
 * Bitbucket API tokens (the Atlassian account's "API token with scopes"). Only a SHA-256 hash of
 * each token is kept. The table is created here rather than in database.ts's migration list, so
 * this feature stays in its own files; `IF NOT EXISTS` makes it idempotent on every start.
 */
export class ApiTokenStore {
  constructor(private readonly db: Db) {
    db.exec(`CREATE TABLE IF NOT EXISTS api_tokens (
      id INTEGER PRIMARY KEY,
      user_id INTEGER NOT NULL REFERENCES users(id),
      name TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      prefix TEXT NOT NULL,
      scopes TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      revoked_at INTEGER
    );
    CREATE INDEX IF NOT EXISTS api_tokens_by_user ON api_tokens (user_id);`);
  }

  /** Creates a token and returns it once, in plaintext; only its hash is stored. */
  create(input: { userId: number; name: string; scopes: readonly ApiTokenScope[]; expiresAt: number; now: number }): { token: string; record: ApiToken } {
    const token = generateApiTokenValue();
    const result = this.db
      .prepare('INSERT INTO api_tokens (user_id, name, token_hash, prefix, scopes, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(input.userId, input.name, hashApiToken(token), token.slice(0, 12), sortApiTokenScopes(input.scopes).join(' '), input.now, input.expiresAt);
    return { token, record: this.findById(Number(result.lastInsertRowid))! };
  }

  findById(id: number): ApiToken | undefined {
    const row = this.db.prepare<[number], Row>('SELECT * FROM api_tokens WHERE id = ?').get(id);
    return row && toApiToken(row);
  }

  findByValue(token: string): ApiToken | undefined {
    const row = this.db.prepare<[string], Row>('SELECT * FROM api_tokens WHERE token_hash = ?').get(hashApiToken(token));
    return row && toApiToken(row);
  }

  listByUser(userId: number): ApiToken[] {
    return this.db
      .prepare<[number], Row>('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC, id DESC')
      .all(userId)
      .map(toApiToken);
  }

  /** Revokes one of the user's tokens; false when it is not theirs or already revoked. */
  revoke(userId: number, id: number, now: number): boolean {
    return this.db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL').run(now, id, userId).changes > 0;
  }
}

/**
 * A value shaped like Atlassian's API tokens: `ATATT3x` then base64url text, `=` and an 8-digit
 * hex checksum (about 190 characters in all).
 */
export function generateApiTokenValue(): string {
  const body = `ATATT3x${randomBytes(132).toString('base64url')}`;
  const checksum = createHash('sha256').update(body).digest('hex').slice(0, 8).toUpperCase();
  return `${body}=${checksum}`;
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function toApiToken(row: Row): ApiToken {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    scopes: sortApiTokenScopes(row.scopes.split(' ')),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    prefix: row.prefix,
  };
}
