import { sql, type Updateable } from 'kysely';
import type { Db } from './database.ts';
import type { ScmIntegrationsTable } from './schema.ts';

/** A list row: everything but the sealed secret (about 1 KB each, which a list never needs), and
 * whether there is one. Reading 50 envelopes per page cost more than the rest of the query. */
export type ScmIntegrationListRow = Omit<ScmIntegrationsTable, 'secret_envelope'> & { has_client_secret: number };

const listColumns = [
  'id',
  'org_id',
  'runner_id',
  'provider',
  'host',
  'oauth_enabled',
  'client_id',
  'secret_kid',
  'validation_status',
  'validation_message',
  'validated_at',
  'created_at',
  'updated_at',
  'updated_by',
] as const satisfies readonly Exclude<keyof ScmIntegrationsTable, 'secret_envelope'>[];

export function createScmIntegrationsStore(db: Db) {
  return {
    async listByRunner(orgId: string, runnerId: string): Promise<ScmIntegrationsTable[]> {
      return db
        .selectFrom('scm_integrations')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('runner_id', '=', runnerId)
        .orderBy('created_at')
        .execute();
    },
    /** One page in (created_at, id) order, limit + 1 rows. */
    async listPageByRunner(orgId: string, runnerId: string, limit: number, after?: readonly [createdAt: string, id: string]): Promise<ScmIntegrationListRow[]> {
      let query = db
        .selectFrom('scm_integrations')
        .select(listColumns)
        .select(sql<number>`secret_envelope is not null`.as('has_client_secret'))
        .where('org_id', '=', orgId)
        .where('runner_id', '=', runnerId);
      if (after) {
        const [createdAt, id] = after;
        query = query.where((eb) => eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)])]));
      }
      return query.orderBy('created_at').orderBy('id').limit(limit + 1).execute();
    },
    async listForRunnerConfig(runnerId: string): Promise<ScmIntegrationsTable[]> {
      return db.selectFrom('scm_integrations').selectAll().where('runner_id', '=', runnerId).execute();
    },
    async find(orgId: string, runnerId: string, id: string): Promise<ScmIntegrationsTable | undefined> {
      return db
        .selectFrom('scm_integrations')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('runner_id', '=', runnerId)
        .where('id', '=', id)
        .executeTakeFirst();
    },
    async findByHost(runnerId: string, host: string): Promise<ScmIntegrationsTable | undefined> {
      return db.selectFrom('scm_integrations').selectAll().where('runner_id', '=', runnerId).where('host', '=', host).executeTakeFirst();
    },
    async insert(row: ScmIntegrationsTable): Promise<void> {
      await db.insertInto('scm_integrations').values(row).execute();
    },
    async update(id: string, patch: Updateable<ScmIntegrationsTable>): Promise<ScmIntegrationsTable | undefined> {
      await db.updateTable('scm_integrations').set(patch).where('id', '=', id).execute();
      return db.selectFrom('scm_integrations').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async remove(id: string): Promise<void> {
      await db.deleteFrom('scm_integrations').where('id', '=', id).execute();
    },
  };
}
export type ScmIntegrationsStore = ReturnType<typeof createScmIntegrationsStore>;
