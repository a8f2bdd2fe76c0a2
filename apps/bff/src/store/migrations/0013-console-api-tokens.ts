import type { Kysely } from 'kysely';

/**
 * API tokens for automation (issue 27 item 4). Only the token's SHA-256 is kept (token_hash, unique:
 * the lookup key). A token belongs to the admin who made it: deleting that user deletes their tokens
 * (and a lookup joins users, so their current role applies). audit_log.actor_token_name says which
 * token acted, beside the creator in actor_id/actor_email. Portable DDL for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('console_api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('console_api_tokens_org').on('console_api_tokens').columns(['org_id', 'created_at']).execute();
  await db.schema.createIndex('console_api_tokens_creator').on('console_api_tokens').column('created_by').execute();
  await db.schema.alterTable('audit_log').addColumn('actor_token_name', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_log').dropColumn('actor_token_name').execute();
  await db.schema.dropTable('console_api_tokens').execute();
}
