import type { Kysely } from 'kysely';

/** "Ask an admin" lists an org's admins on every check-authentication call: an index range scan
 * instead of a walk over every user of the org (10,000 in the scale benchmark). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('users_org_role_email').on('users').columns(['org_id', 'role', 'email']).execute();
}
