import type { Db } from './database.ts';
import type { ConsoleApiTokensTable } from './schema.ts';

export interface ConsoleApiTokenRow extends ConsoleApiTokensTable {
  creator_name: string;
  creator_email: string;
}

/** The data layer of API tokens for automation (migration 0013). */
export function createConsoleApiTokensStore(db: Db) {
  const withCreator = () =>
    db
      .selectFrom('console_api_tokens')
      .innerJoin('users', 'users.id', 'console_api_tokens.created_by')
      .selectAll('console_api_tokens')
      .select(['users.name as creator_name', 'users.email as creator_email']);
  return {
    async insert(row: ConsoleApiTokensTable): Promise<void> {
      await db.insertInto('console_api_tokens').values(row).execute();
    },
    /** Newest first. An organization has a handful of tokens, so there is no paging. */
    async listForOrg(orgId: string): Promise<ConsoleApiTokenRow[]> {
      return withCreator().where('console_api_tokens.org_id', '=', orgId).orderBy('console_api_tokens.created_at', 'desc').limit(500).execute();
    },
    async find(orgId: string, id: string): Promise<ConsoleApiTokenRow | undefined> {
      return withCreator().where('console_api_tokens.org_id', '=', orgId).where('console_api_tokens.id', '=', id).executeTakeFirst();
    },
    /** Sets revoked_at once; a second revoke keeps the first time. */
    async revoke(orgId: string, id: string, at: string): Promise<void> {
      await db.updateTable('console_api_tokens').set({ revoked_at: at }).where('org_id', '=', orgId).where('id', '=', id).where('revoked_at', 'is', null).execute();
    },
    /**
     * The token with this hash and its creator as they are now (role, organization). The lookup is by
     * the SHA-256 of the presented token through a unique index: an attacker cannot steer which
     * hash is compared, so timing reveals nothing about stored tokens (no byte-wise comparison of
     * secrets happens here).
     */
    async findByHash(tokenHash: string) {
      return db
        .selectFrom('console_api_tokens')
        .innerJoin('users', 'users.id', 'console_api_tokens.created_by')
        .innerJoin('orgs', 'orgs.id', 'users.org_id')
        .select([
          'console_api_tokens.id',
          'console_api_tokens.name',
          'console_api_tokens.org_id',
          'console_api_tokens.expires_at',
          'console_api_tokens.last_used_at',
          'console_api_tokens.revoked_at',
          'users.id as user_id',
          'users.email',
          'users.name as user_name',
          'users.role',
          'users.org_id as user_org_id',
          'orgs.name as org_name',
        ])
        .where('console_api_tokens.token_hash', '=', tokenHash)
        .executeTakeFirst();
    },
    async touch(id: string, at: string): Promise<void> {
      await db.updateTable('console_api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
    },
  };
}
export type ConsoleApiTokensStore = ReturnType<typeof createConsoleApiTokensStore>;
