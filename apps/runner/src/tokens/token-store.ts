import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { TokenCipher } from './token-cipher.ts';

/** How a connection was made: Connect (OAuth) or a personal access token the developer entered. */
export type TokenKind = 'oauth' | 'api_token';

/** What the runner keeps per user and integration (like the Gitpod API's HostAuthenticationToken). */
export interface StoredToken {
  id: string;
  kind: TokenKind;
  /**
   * API tokens: the Atlassian account e-mail the REST API's Basic auth takes with the token. Null
   * for OAuth. (Git uses `x-bitbucket-api-token-auth` instead, so it needs no e-mail.)
   */
  loginEmail: string | null;
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
  kind: string;
  login_email: string | null;
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
  addApiTokenColumns(db);

  const aad = (userId: string, integrationId: string, kind: string) => `${userId}|${integrationId}|${kind}`;

  function summaryOf(r: Row): TokenSummary {
    return {
      id: r.id,
      kind: r.kind === 'api_token' ? 'api_token' : 'oauth',
      loginEmail: r.login_email,
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
    upsert: db.prepare(`INSERT INTO tokens (id, kind, login_email, user_id, host, integration_id, client_id, account_name, account_username, account_uuid, email, scopes, access_ct, refresh_ct, expires_at, needs_reauth, reauth_reason, connected_at, updated_at)
      VALUES (@id, @kind, @login_email, @user_id, @host, @integration_id, @client_id, @account_name, @account_username, @account_uuid, @email, @scopes, @access_ct, @refresh_ct, @expires_at, 0, NULL, @connected_at, @updated_at)
      ON CONFLICT (user_id, integration_id) DO UPDATE SET kind = excluded.kind, login_email = excluded.login_email, host = excluded.host, client_id = excluded.client_id, account_name = excluded.account_name,
      account_username = excluded.account_username, account_uuid = excluded.account_uuid, email = excluded.email, scopes = excluded.scopes,
      access_ct = excluded.access_ct, refresh_ct = excluded.refresh_ct, expires_at = excluded.expires_at, needs_reauth = 0, reauth_reason = NULL,
      connected_at = excluded.connected_at, updated_at = excluded.updated_at`),
    updateAccess: db.prepare('UPDATE tokens SET access_ct = ?, refresh_ct = ?, expires_at = ?, scopes = ?, updated_at = ? WHERE id = ?'),
    markReauth: db.prepare('UPDATE tokens SET needs_reauth = 1, reauth_reason = ?, updated_at = ? WHERE id = ?'),
    deleteOne: db.prepare('DELETE FROM tokens WHERE id = ? AND user_id = ?'),
    deleteByIntegration: db.prepare('DELETE FROM tokens WHERE integration_id = ?'),
    deleteOrphans: db.prepare('SELECT integration_id, client_id, kind FROM tokens GROUP BY integration_id, client_id, kind'),
    deleteByIntegrationAndClient: db.prepare("DELETE FROM tokens WHERE integration_id = ? AND client_id = ? AND kind = 'oauth'"),
    deleteByIntegrationAndKind: db.prepare('DELETE FROM tokens WHERE integration_id = ? AND kind = ?'),
    countByIntegrationAndKind: db.prepare<[string, string], { n: number }>('SELECT COUNT(*) AS n FROM tokens WHERE integration_id = ? AND kind = ?'),
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
    /** `kind` defaults to 'oauth' (Connect); an API token passes 'api_token' and its `loginEmail`. */
    save(
      t: Omit<StoredToken, 'id' | 'connectedAt' | 'updatedAt' | 'needsReauthorization' | 'reauthorizeReason' | 'kind' | 'loginEmail'> &
        Partial<Pick<StoredToken, 'kind' | 'loginEmail'>>,
    ): StoredToken {
      const now = new Date().toISOString();
      stmts.upsert.run({
        id: randomUUID(),
        kind: t.kind ?? 'oauth',
        login_email: t.loginEmail ?? null,
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
    markNeedsReauthorization(token: StoredToken, reason: string): void {
      stmts.markReauth.run(reason, new Date().toISOString(), token.id);
    },
    deleteForUser(userId: string, tokenId: string): boolean {
      return stmts.deleteOne.run(tokenId, userId).changes > 0;
    },
    /** Every connection of the integration, or only those of one kind (turning OAuth or tokens off). */
    deleteByIntegration(integrationId: string, kind?: TokenKind): number {
      if (kind) return stmts.deleteByIntegrationAndKind.run(integrationId, kind).changes;
      return stmts.deleteByIntegration.run(integrationId).changes;
    },
    /** How many connections of one kind an integration has (the warning before tokens are turned off). */
    countByIntegration(integrationId: string, kind: TokenKind): number {
      return stmts.countByIntegrationAndKind.get(integrationId, kind)?.n ?? 0;
    },
    /**
     * Drop tokens whose integration is gone; OAuth tokens whose integration has OAuth off or now
     * uses another OAuth client; API tokens whose integration has personal access tokens off.
     */
    reconcile(live: { id: string; clientId: string | null; oauthEnabled: boolean; patEnabled?: boolean | undefined }[]): number {
      const byId = new Map(live.map((i) => [i.id, i]));
      let removed = 0;
      for (const row of stmts.deleteOrphans.all() as { integration_id: string; client_id: string; kind: string }[]) {
        const current = byId.get(row.integration_id);
        if (row.kind === 'api_token') {
          if (!current || !current.patEnabled) removed += stmts.deleteByIntegrationAndKind.run(row.integration_id, 'api_token').changes;
          continue;
        }
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

/** Columns added for API tokens, on a database made before them (idempotent). */
function addApiTokenColumns(db: SQLite.Database): void {
  const columns = new Set((db.prepare('PRAGMA table_info(tokens)').all() as { name: string }[]).map((c) => c.name));
  if (!columns.has('kind')) db.exec("ALTER TABLE tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'oauth'");
  if (!columns.has('login_email')) db.exec('ALTER TABLE tokens ADD COLUMN login_email TEXT');
}
