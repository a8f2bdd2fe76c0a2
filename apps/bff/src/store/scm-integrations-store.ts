import type { ScmProviderId } from '@runner-console/scm-providers';
import { sql, type Updateable } from 'kysely';
import type { Db } from './database.ts';
import type { ScmIntegrationsTable } from './schema.ts';
import type { ClusterBus } from './cluster-bus.ts';

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
  'pat_enabled',
  'client_id',
  'secret_kid',
  'issuer_url',
  'virtual_directory',
  'validation_status',
  'validation_message',
  'validated_at',
  'callback_url',
  'created_at',
  'updated_at',
  'updated_by',
] as const satisfies readonly Exclude<keyof ScmIntegrationsTable, 'secret_envelope'>[];

/** How many list pages the read cache keeps before it starts over. */
const PAGE_CACHE_MAX = 2_000;

const cacheTopic = 'cache.integrations';

export function createScmIntegrationsStore(db: Db, bus?: ClusterBus) {
  // A read cache for list pages, the one read an admin's dashboard repeats (every runner page load
  // and every refetch). The BFF (all its instances) is the only writer of its database and every write to
  // scm_integrations goes through insert/update/remove below, so a generation counter bumped on each
  // write invalidates it exactly. A read captures the generation before it queries, so a write that
  // lands while it runs makes its result stale rather than the cache wrong. Rows are frozen: callers
  // map them, never change them. Deleting a runner cascades to its rows; its pages can no longer be
  // asked for (the runner lookup before the list 404s) and age out with the rest.
  let generation = 0;
  const pageCache = new Map<string, { generation: number; rows: readonly ScmIntegrationListRow[] }>();
  // The same for "does this runner have OAuth for this host?", asked by every check-authentication.
  const oauthCache = new Map<string, { generation: number; available: boolean }>();
  const methodsCache = new Map<string, { generation: number; methods: { oauth: boolean; pat: boolean; provider: ScmProviderId } | undefined }>();
  // With several instances a write anywhere bumps every instance's generation (over the cluster bus).
  // And "which callback URL was this host's consumer set up with?", asked by the same calls.
  const callbackCache = new Map<string, { generation: number; row: Pick<ScmIntegrationsTable, 'callback_url' | 'oauth_enabled'> | undefined }>();
  const written = () => {
    generation++;
    if (bus?.clustered) bus.publish(cacheTopic, null);
  };
  bus?.subscribe(cacheTopic, () => void generation++);
  bus?.onResync(() => void generation++);

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
    async listPageByRunner(orgId: string, runnerId: string, limit: number, after?: readonly [createdAt: string, id: string]): Promise<readonly ScmIntegrationListRow[]> {
      const key = JSON.stringify([orgId, runnerId, limit, after ?? null]);
      const cached = pageCache.get(key);
      if (cached?.generation === generation) return cached.rows;
      const readAt = generation;
      let query = db
        .selectFrom('scm_integrations')
        .select(listColumns)
        .select(sql<number>`case when secret_envelope is not null then 1 else 0 end`.as('has_client_secret'))
        .where('org_id', '=', orgId)
        .where('runner_id', '=', runnerId);
      if (after) {
        const [createdAt, id] = after;
        query = query.where((eb) => eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)])]));
      }
      const rows = (await query.orderBy('created_at').orderBy('id').limit(limit + 1).execute()).map((row) => Object.freeze(row));
      if (pageCache.size >= PAGE_CACHE_MAX) pageCache.clear();
      pageCache.set(key, { generation: readAt, rows });
      return rows;
    },
    /** Whether the runner has an integration with OAuth on for the host. */
    async hasOAuthIntegration(runnerId: string, host: string): Promise<boolean> {
      const key = `${runnerId}\n${host}`;
      const cached = oauthCache.get(key);
      if (cached?.generation === generation) return cached.available;
      const readAt = generation;
      const row = await db
        .selectFrom('scm_integrations')
        .select('id')
        .where('runner_id', '=', runnerId)
        .where('host', '=', host)
        .where('oauth_enabled', '=', 1)
        .executeTakeFirst();
      if (oauthCache.size >= PAGE_CACHE_MAX) oauthCache.clear();
      oauthCache.set(key, { generation: readAt, available: row !== undefined });
      return row !== undefined;
    },
    /** The ways a developer may connect to the host on this runner, or undefined without an integration. */
    async connectMethods(runnerId: string, host: string): Promise<{ oauth: boolean; pat: boolean; provider: ScmProviderId } | undefined> {
      const key = `${runnerId}\n${host}`;
      const cached = methodsCache.get(key);
      if (cached?.generation === generation) return cached.methods;
      const readAt = generation;
      const row = await db
        .selectFrom('scm_integrations')
        .select(['oauth_enabled', 'pat_enabled', 'provider'])
        .where('runner_id', '=', runnerId)
        .where('host', '=', host)
        .executeTakeFirst();
      const methods = row && { oauth: row.oauth_enabled === 1, pat: row.pat_enabled === 1, provider: row.provider as ScmProviderId };
      if (methodsCache.size >= PAGE_CACHE_MAX) methodsCache.clear();
      methodsCache.set(key, { generation: readAt, methods });
      return methods;
    },
    /** The callback URL and OAuth switch of the runner's integration for the host (cached like hasOAuthIntegration). */
    async findCallbackUrl(runnerId: string, host: string): Promise<Pick<ScmIntegrationsTable, 'callback_url' | 'oauth_enabled'> | undefined> {
      const key = `${runnerId}\n${host}`;
      const cached = callbackCache.get(key);
      if (cached?.generation === generation) return cached.row;
      const readAt = generation;
      const row = await db.selectFrom('scm_integrations').select(['callback_url', 'oauth_enabled']).where('runner_id', '=', runnerId).where('host', '=', host).executeTakeFirst();
      if (callbackCache.size >= PAGE_CACHE_MAX) callbackCache.clear();
      callbackCache.set(key, { generation: readAt, row });
      return row;
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
      try {
        await db.insertInto('scm_integrations').values(row).execute();
      } finally {
        written();
      }
    },
    async update(id: string, patch: Updateable<ScmIntegrationsTable>): Promise<ScmIntegrationsTable | undefined> {
      try {
        await db.updateTable('scm_integrations').set(patch).where('id', '=', id).execute();
      } finally {
        written();
      }
      return db.selectFrom('scm_integrations').selectAll().where('id', '=', id).executeTakeFirst();
    },
    /** Integrations with no recorded callback URL (saved before it was recorded) take this one. */
    async pinMissingCallbackUrls(runnerId: string, callbackUrl: string): Promise<number> {
      try {
        const result = await db.updateTable('scm_integrations').set({ callback_url: callbackUrl }).where('runner_id', '=', runnerId).where('callback_url', 'is', null).executeTakeFirst();
        return Number(result.numUpdatedRows);
      } finally {
        written();
      }
    },
    async listSummaries(runnerId: string): Promise<{ id: string; provider: string; host: string }[]> {
      return db.selectFrom('scm_integrations').select(['id', 'provider', 'host']).where('runner_id', '=', runnerId).orderBy('created_at').execute();
    },
    async countByRunner(runnerId: string): Promise<number> {
      const row = await db.selectFrom('scm_integrations').select((eb) => eb.fn.countAll<string | number>().as('n')).where('runner_id', '=', runnerId).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    /** After a runner is deleted (its rows went with it, by cascade): drop cached pages. */
    forgetRunner(): void {
      written();
    },
    /** False when it was already gone (a second delete). */
    async remove(id: string): Promise<boolean> {
      try {
        const result = await db.deleteFrom('scm_integrations').where('id', '=', id).executeTakeFirst();
        return Number(result.numDeletedRows) === 1;
      } finally {
        written();
      }
    },
  };
}
export type ScmIntegrationsStore = ReturnType<typeof createScmIntegrationsStore>;
