import type { Kysely } from 'kysely';

/**
 * Offboarding (issue 27): when a member is removed, every runner of the organization erases their
 * provider tokens. A runner that is offline at that moment gets the erasure when it links again, so
 * it is written here first and deleted once the runner has confirmed it. One row per runner and
 * user; `user_id` is not a foreign key, because the user's row is gone by the time it is delivered.
 * (0012–0014 are taken by the members, single sign-on and API-token work of the same issue.)
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pending_erasures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
    .addColumn('runner_id', 'text', (c) => c.notNull().references('runners.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('user_email', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('pending_erasures_runner_user', ['runner_id', 'user_id'])
    .execute();
}
