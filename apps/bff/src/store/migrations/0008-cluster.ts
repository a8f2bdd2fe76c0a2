import type { Kysely } from 'kysely';

/**
 * What several BFF instances on one database need: which instance holds each runner's link, the
 * sign-in rate-limit counters, and the bodies of cluster messages too large for a NOTIFY payload.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('runners').addColumn('link_instance', 'text').execute();
  await db.schema
    .createTable('rate_limit_hits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('reset_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('cluster_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
