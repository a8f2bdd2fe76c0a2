import type { Kysely } from 'kysely';

/**
 * Joining by invitation through single sign-on (issue 27): a started sign-in may carry an
 * invitation, kept as the SHA-256 of its token (the token itself is never stored, and never sent to
 * the identity provider). Null for an ordinary sign-in.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sso_attempts').addColumn('invitation_hash', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sso_attempts').dropColumn('invitation_hash').execute();
}
