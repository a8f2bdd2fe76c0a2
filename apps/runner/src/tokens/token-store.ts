import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { TokenCipher } from './token-cipher.ts';

/** What the runner keeps per user and integration (like the Gitpod API's HostAuthenticationToken). */
export interface StoredToken {
  id: string;
  userId: string;
  host: string;
  integrationId: string;
  clientId: string;
  accountName: string;
  accountUsername: string | null;
  accountUuid: string | null;
  email: string | null;
  scopes: string[];
  accessToken: string;
  refreshToken: string | null;
  expiresAt: string | null;
  needsReauthorization: boolean;
  reauthorizeReason: string | null;
  connectedAt: string;
  updatedAt: string;
}

/** A token's record without the secrets: what status answers need. Nothing is decrypted for it. */
export type TokenSummary = Omit<StoredToken, 'accessToken' | 'refreshToken'>;

interface Row {
  id: string;
  user_id: string;
  host: string;
  integration_id: string;
  client_id: string;
  account_name: string;
  account_username: string | null;
  account_uuid: string | null;
  email: string | null;
  scopes: string;
  access_ct: string;
  refresh_ct: string | null;
  expires_at: string | null;
  needs_reauth: number;
  reauth_reason: string | null;
  connected_at: string;
  updated_at: string;
}

export function createTokenStore(dataDir: string, cipher: TokenCipher) {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new SQLite(path.join(dataDir, 'tokens.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  // WAL with synchronous=NORMAL survives a process crash; a power cut may lose the last moments, which
  // costs a user one Connect. FULL would fsync on every commit and stall the event loop under load.
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL, host TEXT NOT NULL, integration_id TEXT NOT NULL, client_id TEXT NOT NULL,
    account_name TEXT NOT NULL, account_username TEXT, account_uuid TEXT, email TEXT, scopes TEXT NOT NULL,
    access_ct TEXT NOT NULL, refresh_ct TEXT, expires_at TEXT, needs_reauth INTEGER NOT NULL DEFAULT 0, reauth_reason TEXT,
    connected_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (user_id, integration_id))`);
  db.exec('CREATE INDEX IF NOT EXISTS tokens_integration ON tokens (integration_id)');
  // When a refresh began and has not been stored yet: a lease that concurrent refreshes wait on,
  // and, if it outlives its process, the sign of a refresh interrupted after Bitbucket may have
  // rotated the refresh token.
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(tokens)').all();
  if (!columns.some((c) => c.name === 'refresh_started_at')) db.exec('ALTER TABLE tokens ADD COLUMN refresh_started_at TEXT');

  const aad = (userId: string, integrationId: string, kind: string) => `${userId}|${integrationId}|${kind}`;

  function summaryOf(r: Row): TokenSummary {
    return {
      id: r.id,
      userId: r.user_id,
      host: r.host,
      integrationId: r.integration_id,
      clientId: r.client_id,
      accountName: r.account_name,
      accountUsername: r.account_username,
      accountUuid: r.account_uuid,
      email: r.email,
      scopes: r.scopes ? r.scopes.split(' ') : [],
      expiresAt: r.expires_at,
      needsReauthorization: r.needs_reauth === 1,
      reauthorizeReason: r.reauth_reason,
      connectedAt: r.connected_at,
      updatedAt: r.updated_at,
    };
  }

  function fromRow(r: Row): StoredToken {
    return {
      ...summaryOf(r),
      accessToken: cipher.decrypt(r.access_ct, aad(r.user_id, r.integration_id, 'access')),
      refreshToken: r.refresh_ct ? cipher.decrypt(r.refresh_ct, aad(r.user_id, r.integration_id, 'refresh')) : null,
    };
  }


  const stmts = {
    find: db.prepare<[string, string], Row>('SELECT * FROM tokens WHERE user_id = ? AND integration_id = ?'),
    listByUser: db.prepare<[string], Row>('SELECT * FROM tokens WHERE user_id = ? ORDER BY connected_at'),
    upsert: db.prepare(`INSERT INTO tokens (id, user_id, host, integration_id, client_id, account_name, account_username, account_uuid, email, scopes, access_ct, refresh_ct, expires_at, needs_reauth, reauth_reason, connected_at, updated_at)
      VALUES (@id, @user_id, @host, @integration_id, @client_id, @account_name, @account_username, @account_uuid, @email, @scopes, @access_ct, @refresh_ct, @expires_at, 0, NULL, @connected_at, @updated_at)
      ON CONFLICT (user_id, integration_id) DO UPDATE SET host = excluded.host, client_id = excluded.client_id, account_name = excluded.account_name,
      account_username = excluded.account_username, account_uuid = excluded.account_uuid, email = excluded.email, scopes = excluded.scopes,
      access_ct = excluded.access_ct, refresh_ct = excluded.refresh_ct, expires_at = excluded.expires_at, needs_reauth = 0, reauth_reason = NULL, refresh_started_at = NULL,
      connected_at = excluded.connected_at, updated_at = excluded.updated_at`),
    updateAccess: db.prepare('UPDATE tokens SET access_ct = ?, refresh_ct = ?, expires_at = ?, scopes = ?, updated_at = ? WHERE id = ?'),
    markReauth: db.prepare('UPDATE tokens SET needs_reauth = 1, reauth_reason = ?, refresh_started_at = NULL, updated_at = ? WHERE id = ?'),
    findById: db.prepare<[string], Row & { refresh_started_at: string | null }>('SELECT * FROM tokens WHERE id = ?'),
    setRefreshStarted: db.prepare('UPDATE tokens SET refresh_started_at = ? WHERE id = ?'),
    replaceRefresh: db.prepare('UPDATE tokens SET access_ct = ?, refresh_ct = ?, expires_at = ?, scopes = ?, refresh_started_at = NULL, updated_at = ? WHERE id = ?'),
    deleteOne: db.prepare('DELETE FROM tokens WHERE id = ? AND user_id = ?'),
    deleteByIntegration: db.prepare('DELETE FROM tokens WHERE integration_id = ?'),
    deleteOrphans: db.prepare('SELECT integration_id, client_id FROM tokens GROUP BY integration_id, client_id'),
    deleteByIntegrationAndClient: db.prepare('DELETE FROM tokens WHERE integration_id = ? AND client_id = ?'),
  };

  return {
    find(userId: string, integrationId: string): StoredToken | undefined {
      const row = stmts.find.get(userId, integrationId);
      return row ? fromRow(row) : undefined;
    },
    /**
     * The record without decrypting its tokens, for status answers (check-authentication, the Git
     * authentications list): plaintext tokens exist in memory only where one is used.
     */
    findSummary(userId: string, integrationId: string): TokenSummary | undefined {
      const row = stmts.find.get(userId, integrationId);
      return row ? summaryOf(row) : undefined;
    },
    listSummariesByUser(userId: string): TokenSummary[] {
      return stmts.listByUser.all(userId).map(summaryOf);
    },
    save(t: Omit<StoredToken, 'id' | 'connectedAt' | 'updatedAt' | 'needsReauthorization' | 'reauthorizeReason'>): StoredToken {
      const now = new Date().toISOString();
      stmts.upsert.run({
        id: randomUUID(),
        user_id: t.userId,
        host: t.host,
        integration_id: t.integrationId,
        client_id: t.clientId,
        account_name: t.accountName,
        account_username: t.accountUsername,
        account_uuid: t.accountUuid,
        email: t.email,
        scopes: t.scopes.join(' '),
        access_ct: cipher.encrypt(t.accessToken, aad(t.userId, t.integrationId, 'access')),
        refresh_ct: t.refreshToken ? cipher.encrypt(t.refreshToken, aad(t.userId, t.integrationId, 'refresh')) : null,
        expires_at: t.expiresAt,
        connected_at: now,
        updated_at: now,
      });
      return this.find(t.userId, t.integrationId)!;
    },
    updateAccess(token: StoredToken, next: { accessToken: string; refreshToken: string | null; expiresAt: string | null; scopes: string[] }): StoredToken {
      stmts.updateAccess.run(
        cipher.encrypt(next.accessToken, aad(token.userId, token.integrationId, 'access')),
        next.refreshToken ? cipher.encrypt(next.refreshToken, aad(token.userId, token.integrationId, 'refresh')) : null,
        next.expiresAt,
        next.scopes.join(' '),
        new Date().toISOString(),
        token.id,
      );
      return this.find(token.userId, token.integrationId)!;
    },
    /**
     * Takes the refresh lease of a token before its refresh token is sent to Bitbucket, and keeps
     * it on disk. `busy` when another owner (process) holds a lease younger than `leaseMs`;
     * otherwise the lease is taken for `owner`, and `interrupted` says an earlier one was never
     * finished (its process died, or lost Bitbucket's answer, perhaps after Bitbucket had already
     * rotated the refresh token). An owner's own earlier lease never makes it wait.
     */
    beginRefresh(tokenId: string, opts: { leaseMs: number; owner: string }): { status: 'busy' } | { status: 'acquired'; interrupted: boolean } | { status: 'gone' } {
      return db.transaction(() => {
        const row = stmts.findById.get(tokenId);
        if (!row) return { status: 'gone' as const };
        const [startedAt, holder] = (row.refresh_started_at ?? '').split(' ');
        const started = startedAt ? Date.parse(startedAt) : null;
        if (started !== null && holder !== opts.owner && Date.now() - started < opts.leaseMs) return { status: 'busy' as const };
        stmts.setRefreshStarted.run(`${new Date().toISOString()} ${opts.owner}`, tokenId);
        return { status: 'acquired' as const, interrupted: started !== null };
      })();
    },
    /** Gives the lease back when the refresh token was certainly not spent (Bitbucket answered an error that keeps it). */
    endRefresh(tokenId: string): void {
      stmts.setRefreshStarted.run(null, tokenId);
    },
    /**
     * Stores the rotated refresh token with its new access token, in one write, and only if the
     * stored refresh token is still `expectedRefresh` (compare-and-swap): the answer of a refresh
     * that lost a race never overwrites the winner's. Ends the lease. Undefined when it lost.
     */
    replaceRefresh(
      tokenId: string,
      expectedRefresh: string,
      next: { accessToken: string; refreshToken: string; expiresAt: string | null; scopes: string[] },
    ): StoredToken | undefined {
      return db.transaction(() => {
        const row = stmts.findById.get(tokenId);
        if (!row || !row.refresh_ct) return undefined;
        if (cipher.decrypt(row.refresh_ct, aad(row.user_id, row.integration_id, 'refresh')) !== expectedRefresh) return undefined;
        stmts.replaceRefresh.run(
          cipher.encrypt(next.accessToken, aad(row.user_id, row.integration_id, 'access')),
          cipher.encrypt(next.refreshToken, aad(row.user_id, row.integration_id, 'refresh')),
          next.expiresAt,
          next.scopes.join(' '),
          new Date().toISOString(),
          tokenId,
        );
        return fromRow(stmts.findById.get(tokenId)!);
      })();
    },
    markNeedsReauthorization(token: StoredToken, reason: string): void {
      stmts.markReauth.run(reason, new Date().toISOString(), token.id);
    },
    deleteForUser(userId: string, tokenId: string): boolean {
      return stmts.deleteOne.run(tokenId, userId).changes > 0;
    },
    deleteByIntegration(integrationId: string): number {
      return stmts.deleteByIntegration.run(integrationId).changes;
    },
    /** Drop tokens whose integration is gone, has OAuth off, or now uses another OAuth client. */
    reconcile(live: { id: string; clientId: string | null; oauthEnabled: boolean }[]): number {
      const byId = new Map(live.map((i) => [i.id, i]));
      let removed = 0;
      for (const row of stmts.deleteOrphans.all() as { integration_id: string; client_id: string }[]) {
        const current = byId.get(row.integration_id);
        if (!current || !current.oauthEnabled || current.clientId !== row.client_id) {
          removed += stmts.deleteByIntegrationAndClient.run(row.integration_id, row.client_id).changes;
        }
      }
      return removed;
    },
    close() {
      db.close();
    },
  };
}
export type TokenStore = ReturnType<typeof createTokenStore>;
