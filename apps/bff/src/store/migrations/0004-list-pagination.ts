import type { Kysely } from 'kysely';

/** Indexes that match the keyset order of each paginated list, so a page is an index range scan. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('runners_org_page').on('runners').columns(['org_id', 'created_at', 'name']).execute();
  await db.schema.createIndex('scm_integrations_page').on('scm_integrations').columns(['org_id', 'runner_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('environments_user_page').on('environments').columns(['user_id', 'created_at', 'id']).execute();
}
