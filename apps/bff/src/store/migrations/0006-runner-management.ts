import type { Kysely } from 'kysely';

/**
 * Runners as they are deployed (issue 12):
 * - runners.pinned_public_url: the public URL fixed at set-up (or on the first connection), which
 *   integrations' OAuth callback URLs are registered against;
 * - scm_integrations.callback_url: the callback URL the integration's OAuth consumer was set up
 *   with, so a runner that comes back at another URL shows "Callback URL changed";
 * - environments.workspace_path: where the runner keeps the environment's clone.
 * Plain nullable text columns, portable to SQLite and PostgreSQL; rows that exist are pinned by the
 * application on the runner's next connection.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('runners').addColumn('pinned_public_url', 'text').execute();
  await db.schema.alterTable('scm_integrations').addColumn('callback_url', 'text').execute();
  await db.schema.alterTable('environments').addColumn('workspace_path', 'text').execute();
}
