import type { Kysely } from 'kysely';

/**
 * Where a runner's configuration says each provider host's web pages are (issue 22): under
 * `npm start` the emulator at http://localhost:8082 serves bitbucket.org, and New environment must
 * take its links. runners.provider_sites_json holds the last hello's list as JSON; a plain nullable
 * text column, portable to SQLite and PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('runners').addColumn('provider_sites_json', 'text').execute();
}
