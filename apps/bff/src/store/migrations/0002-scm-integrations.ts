import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('scm_integrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
    .addColumn('runner_id', 'text', (c) => c.notNull().references('runners.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('oauth_enabled', 'integer', (c) => c.notNull())
    .addColumn('client_id', 'text')
    // Ciphertext only: a compact JWE sealed to the runner's key. The plaintext never reaches this table.
    .addColumn('secret_envelope', 'text')
    .addColumn('secret_kid', 'text')
    .addColumn('validation_status', 'text', (c) => c.notNull())
    .addColumn('validation_message', 'text')
    .addColumn('validated_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
  await db.schema.createIndex('scm_integrations_runner_host').on('scm_integrations').columns(['runner_id', 'host']).unique().execute();
}
