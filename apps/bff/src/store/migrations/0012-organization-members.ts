import type { Kysely } from 'kysely';

/**
 * The organization (issue 27): first-run set-up codes, invitation and password-reset links, and per
 * user how they sign in and when they were last seen. Portable DDL (kysely's builder), as in 0007.
 *
 * - `setup_codes`: hashes of the one-time set-up codes. Each instance that starts on a database
 *   with no user writes its own code's hash and logs the code, so any instance accepts any of them;
 *   the first set-up deletes them all.
 * - `account_links`: single-use links with a secret token (only its SHA-256 is kept): `invitation`
 *   (an e-mail and a role) and `password-reset` (a user). `used_at` / `revoked_at` end a link.
 * - `users.sign_in_method`: `password` or `sso` (single sign-on creates users without a password).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('last_seen_at', 'text').execute();
  await db.schema
    .alterTable('users')
    .addColumn('sign_in_method', 'text', (c) => c.notNull().defaultTo('password'))
    .execute();
  await db.schema
    .createTable('setup_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('account_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('created_by', 'text')
    .addColumn('created_by_email', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('account_links_org').on('account_links').columns(['org_id', 'kind', 'created_at']).execute();
  await db.schema.createIndex('account_links_user').on('account_links').column('user_id').execute();
  await db.schema.createIndex('audit_org').on('audit_log').columns(['org_id', 'seq']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('audit_org').execute();
  await db.schema.dropTable('account_links').execute();
  await db.schema.dropTable('setup_codes').execute();
  await db.schema.alterTable('users').dropColumn('sign_in_method').execute();
  await db.schema.alterTable('users').dropColumn('last_seen_at').execute();
}
