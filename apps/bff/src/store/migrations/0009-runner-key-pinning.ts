import type { Kysely } from 'kysely';

/**
 * A runner's key is pinned at its first connection (issue 21). A connection with the runner's token
 * and another key is refused, and that key is kept here until an admin accepts it (or replaces the
 * token): runners.pending_public_key_jwk (the JWK as JSON) and pending_key_at (when it was last
 * presented). Plain nullable text columns, portable to SQLite and PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('runners').addColumn('pending_public_key_jwk', 'text').execute();
  await db.schema.alterTable('runners').addColumn('pending_key_at', 'text').execute();
}
