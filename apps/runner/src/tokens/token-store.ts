import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TokenCipher } from './token-cipher.ts';
import { openTokenJournal, type TokenRow } from './token-journal.ts';

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
  /** When the runner last handed the token to a use (to the minute); null if never. */
  lastUsedAt: string | null;
}

/** A token's record without the secrets: what status answers need. Nothing is decrypted for it. */
export type TokenSummary = Omit<StoredToken, 'accessToken' | 'refreshToken'>;

type Row = TokenRow;

export function createTokenStore(dataDir: string, cipher: TokenCipher) {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // The former SQLite file (tokens.sqlite) is not read: it needed a native module, and a runner
  // started from the single-file bundle has none. Users of a runner upgraded across that change
  // connect once more.
  const table = openTokenJournal(path.join(dataDir, 'tokens.jsonl'));
  const rowFor = (userId: string, integrationId: string) => {
    table.catchUp();
    return table.findByKey(userId, integrationId);
  };
  const rowById = (id: string) => {
    table.catchUp();
    return table.rows.get(id);
  };
  const allRows = () => {
    table.catchUp();
    return [...table.rows.values()];
  };

  const aad = (userId: string, integrationId: string, kind: string) => `${userId}|${integrationId}|${kind}`;

  const kindOf = (r: Row): TokenKind => (r.kind === 'api_token' ? 'api_token' : 'oauth');

  function summaryOf(r: Row): TokenSummary {
    return {
      id: r.id,
      kind: kindOf(r),
      loginEmail: r.login_email ?? null,
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
      lastUsedAt: r.last_used_at ?? null,
    };
  }

  function fromRow(r: Row): StoredToken {
    return {
      ...summaryOf(r),
      accessToken: cipher.decrypt(r.access_ct, aad(r.user_id, r.integration_id, 'access')),
      refreshToken: r.refresh_ct ? cipher.decrypt(r.refresh_ct, aad(r.user_id, r.integration_id, 'refresh')) : null,
    };
  }

  return {
    find(userId: string, integrationId: string): StoredToken | undefined {
      const row = rowFor(userId, integrationId);
      return row ? fromRow(row) : undefined;
    },
    /**
     * The record without decrypting its tokens, for status answers (check-authentication, the Git
     * authentications list): plaintext tokens exist in memory only where one is used.
     */
    findSummary(userId: string, integrationId: string): TokenSummary | undefined {
      const row = rowFor(userId, integrationId);
      return row ? summaryOf(row) : undefined;
    },
    listSummariesByUser(userId: string): TokenSummary[] {
      table.catchUp();
      return table
        .listByUser(userId)
        .sort((x, y) => (x.connected_at < y.connected_at ? -1 : x.connected_at > y.connected_at ? 1 : 0))
        .map(summaryOf);
    },
    /** `kind` defaults to 'oauth' (Connect); an API token passes 'api_token' and its `loginEmail`. */
    /** Every user's connections (Runner › Connections), oldest first, without decrypting anything. */
    listSummaries(): TokenSummary[] {
      return allRows()
        .sort((x, y) => (x.connected_at < y.connected_at ? -1 : x.connected_at > y.connected_at ? 1 : 0))
        .map(summaryOf);
    },
    /** One record by its id, decrypted (to revoke it at its provider). */
    findById(tokenId: string): StoredToken | undefined {
      const row = rowById(tokenId);
      return row ? fromRow(row) : undefined;
    },
    /** Every record of one user, decrypted (offboarding revokes them at their providers). */
    listByUser(userId: string): StoredToken[] {
      table.catchUp();
      return table.listByUser(userId).map(fromRow);
    },
    /** Erase one record, whoever it belongs to (an admin's revoke). False when it was already gone. */
    deleteById(tokenId: string): boolean {
      if (!rowById(tokenId)) return false;
      table.commit([{ del: tokenId }]);
      return true;
    },
    /**
     * Notes that a token was handed to a use. Written at most once a minute per token, so a busy
     * developer costs one journal line a minute, not one per git fetch.
     */
    markUsed(tokenId: string, now = new Date()): void {
      const row = rowById(tokenId);
      if (!row) return;
      const last = row.last_used_at ? Date.parse(row.last_used_at) : 0;
      if (now.getTime() - last < 60_000) return;
      table.commit([{ put: { ...row, last_used_at: now.toISOString() } }]);
    },
    save(
      t: Omit<StoredToken, 'id' | 'connectedAt' | 'updatedAt' | 'needsReauthorization' | 'reauthorizeReason' | 'kind' | 'loginEmail' | 'lastUsedAt'> &
        Partial<Pick<StoredToken, 'kind' | 'loginEmail'>>,
    ): StoredToken {
      const now = new Date().toISOString();
      // A reconnect replaces the user's token for that integration and keeps the record's id.
      const existing = rowFor(t.userId, t.integrationId);
      table.commit([
        {
          put: {
            id: existing?.id ?? randomUUID(),
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
            needs_reauth: 0,
            reauth_reason: null,
            refresh_started_at: null,
            connected_at: now,
            updated_at: now,
          },
        },
      ]);
      return this.find(t.userId, t.integrationId)!;
    },
    updateAccess(token: StoredToken, next: { accessToken: string; refreshToken: string | null; expiresAt: string | null; scopes: string[] }): StoredToken {
      const row = rowById(token.id);
      if (row) {
        table.commit([
          {
            put: {
              ...row,
              access_ct: cipher.encrypt(next.accessToken, aad(token.userId, token.integrationId, 'access')),
              refresh_ct: next.refreshToken ? cipher.encrypt(next.refreshToken, aad(token.userId, token.integrationId, 'refresh')) : null,
              expires_at: next.expiresAt,
              scopes: next.scopes.join(' '),
              updated_at: new Date().toISOString(),
            },
          },
        ]);
      }
      return this.find(token.userId, token.integrationId)!;
    },
    markNeedsReauthorization(token: StoredToken, reason: string): void {
      const row = rowById(token.id);
      if (row) table.commit([{ put: { ...row, needs_reauth: 1, reauth_reason: reason, refresh_started_at: null, updated_at: new Date().toISOString() } }]);
    },
    /**
     * Takes the refresh lease of a token before its refresh token is sent to Bitbucket, and keeps
     * it on disk. `busy` when another owner (process) holds a lease younger than `leaseMs`;
     * otherwise the lease is taken for `owner`, and `interrupted` says an earlier one was never
     * finished (its process died, or lost Bitbucket's answer, perhaps after Bitbucket had already
     * rotated the refresh token). An owner's own earlier lease never makes it wait.
     */
    beginRefresh(tokenId: string, opts: { leaseMs: number; owner: string }): { status: 'busy' } | { status: 'acquired'; interrupted: boolean } | { status: 'gone' } {
      const row = rowById(tokenId);
      if (!row) return { status: 'gone' };
      const [startedAt, holder] = (row.refresh_started_at ?? '').split(' ');
      const started = startedAt ? Date.parse(startedAt) : null;
      if (started !== null && holder !== opts.owner && Date.now() - started < opts.leaseMs) return { status: 'busy' };
      table.commit([{ put: { ...row, refresh_started_at: `${new Date().toISOString()} ${opts.owner}` } }]);
      return { status: 'acquired', interrupted: started !== null };
    },
    /** Gives the lease back when the refresh token was certainly not spent (Bitbucket answered an error that keeps it). */
    endRefresh(tokenId: string): void {
      const row = rowById(tokenId);
      if (row && row.refresh_started_at) table.commit([{ put: { ...row, refresh_started_at: null } }]);
    },
    /**
     * Stores the rotated refresh token with its new access token, in one durable write, and only if
     * the stored refresh token is still `expectedRefresh` (compare-and-swap): the answer of a
     * refresh that lost a race never overwrites the winner's. Ends the lease. Undefined when it lost.
     * The journal is written synchronously, so nothing can interleave between the check and the write.
     */
    replaceRefresh(
      tokenId: string,
      expectedRefresh: string,
      next: { accessToken: string; refreshToken: string; expiresAt: string | null; scopes: string[] },
    ): StoredToken | undefined {
      const row = rowById(tokenId);
      if (!row || !row.refresh_ct) return undefined;
      if (cipher.decrypt(row.refresh_ct, aad(row.user_id, row.integration_id, 'refresh')) !== expectedRefresh) return undefined;
      const updated: Row = {
        ...row,
        access_ct: cipher.encrypt(next.accessToken, aad(row.user_id, row.integration_id, 'access')),
        refresh_ct: cipher.encrypt(next.refreshToken, aad(row.user_id, row.integration_id, 'refresh')),
        expires_at: next.expiresAt,
        scopes: next.scopes.join(' '),
        refresh_started_at: null,
        updated_at: new Date().toISOString(),
      };
      table.commit([{ put: updated }]);
      return fromRow(updated);
    },
    deleteForUser(userId: string, tokenId: string): boolean {
      const row = rowById(tokenId);
      if (!row || row.user_id !== userId) return false;
      table.commit([{ del: tokenId }]);
      return true;
    },
    /** Every connection of the integration, or only those of one kind (turning OAuth or tokens off). */
    deleteByIntegration(integrationId: string, kind?: TokenKind): number {
      const doomed = allRows().filter((r) => r.integration_id === integrationId && (!kind || kindOf(r) === kind));
      table.commit(doomed.map((r) => ({ del: r.id })));
      return doomed.length;
    },
    /** How many connections of one kind an integration has (the warning before tokens are turned off). */
    countByIntegration(integrationId: string, kind: TokenKind): number {
      return allRows().filter((r) => r.integration_id === integrationId && kindOf(r) === kind).length;
    },
    /**
     * Drop tokens whose integration is gone; OAuth tokens whose integration has OAuth off or now
     * uses another OAuth client; API tokens whose integration has personal access tokens off.
     */
    reconcile(live: { id: string; clientId: string | null; oauthEnabled: boolean; patEnabled?: boolean | undefined }[]): number {
      const byId = new Map(live.map((i) => [i.id, i]));
      const doomed = allRows().filter((row) => {
        const current = byId.get(row.integration_id);
        if (kindOf(row) === 'api_token') return !current || !current.patEnabled;
        return !current || !current.oauthEnabled || current.clientId !== row.client_id;
      });
      table.commit(doomed.map((r) => ({ del: r.id })));
      return doomed.length;
    },
    /** How many tokens the runner holds (all users), for "what goes with this runner". */
    count(): number {
      table.catchUp();
      return table.rows.size;
    },
    close() {
      table.close();
    },
  };
}
export type TokenStore = ReturnType<typeof createTokenStore>;
