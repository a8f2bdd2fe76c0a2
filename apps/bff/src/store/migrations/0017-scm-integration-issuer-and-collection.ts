import type { Kysely } from 'kysely';

/**
 * Integrations whose OAuth server has tenants keep the tenant's issuer URL (the runner finds the
 * endpoints by OpenID discovery of it), and a self-managed server's integration keeps the path its
 * repositories live under (Azure DevOps Server's collection, Ona's "virtual directory"). Null for
 * every integration made before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('scm_integrations').addColumn('issuer_url', 'text').execute();
  await db.schema.alterTable('scm_integrations').addColumn('virtual_directory', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('scm_integrations').dropColumn('virtual_directory').execute();
  await db.schema.alterTable('scm_integrations').dropColumn('issuer_url').execute();
}
