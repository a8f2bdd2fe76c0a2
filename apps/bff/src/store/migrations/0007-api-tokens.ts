import type { Kysely } from 'kysely';

/**
 * Personal access tokens (Bitbucket API tokens) as a second way to connect: per integration, whether
 * developers may use them. 0 for every existing integration, which keeps offering OAuth only.
 * Portable DDL (kysely's builder, an integer flag like oauth_enabled), so PostgreSQL runs it as it is.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('scm_integrations')
    .addColumn('pat_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('scm_integrations').dropColumn('pat_enabled').execute();
}
