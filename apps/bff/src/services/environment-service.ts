import { randomUUID } from 'node:crypto';
import { DeleteWorkspaceResult, EnvironmentUpdateParams, ParsedContext, type Environment, type PageQuery, type SessionUser } from '@runner-console/contracts';
import { parseContextUrl, servedHostsOf } from '@runner-console/scm-providers';
import type { Db } from '../store/database.ts';
import type { EnvironmentsTable, RunnersTable } from '../store/schema.ts';
import { toRunner } from '../store/runners-store.ts';
import type { EventHub } from '../events/event-hub.ts';
import type { Logger } from '../logger.ts';
import type { RunnerLinkServer } from '../runner-link/link-server.ts';
import { LinkRequestError } from '../runner-link/runner-connection.ts';
import { HttpError, notFound } from '../http/http-error.ts';
import type { RunnerService } from './runner-service.ts';
import { mapLinkError, runnerOffline } from './runner-service.ts';
import { decodeCursor, pageOf } from './page-cursor.ts';

/** Codes the runner uses when it cannot resolve a context URL, and what the API says for them. */
const contextErrors: Record<string, { status: number; code: 'not_found' | 'validation_failed' | 'scm_not_connected' | 'provider_error' | 'provider_unreachable' }> = {
  repository_not_found: { status: 404, code: 'not_found' },
  ref_not_found: { status: 404, code: 'not_found' },
  not_a_repository: { status: 400, code: 'validation_failed' },
  no_integration: { status: 400, code: 'validation_failed' },
  // 409, not 403: the caller may do this; their connection to the provider is missing or must be made again.
  not_connected: { status: 409, code: 'scm_not_connected' },
  needs_reauthorization: { status: 409, code: 'scm_not_connected' },
  provider_unreachable: { status: 502, code: 'provider_unreachable' },
  provider_error: { status: 502, code: 'provider_error' },
};

export function createEnvironmentService(deps: { db: Db; runners: RunnerService; hub: EventHub; link: () => RunnerLinkServer; log: Logger }) {
  const { db, hub } = deps;

  async function toEnvironment(row: EnvironmentsTable): Promise<Environment> {
    const runner = await db.selectFrom('runners').select('name').where('id', '=', row.runner_id).executeTakeFirst();
    return withRunnerName(row, runner?.name);
  }

  function withRunnerName(row: EnvironmentsTable, runnerName: string | null | undefined): Environment {
    return {
      id: row.id,
      runnerId: row.runner_id,
      runnerName: runnerName ?? 'deleted runner',
      contextUrl: row.context_url,
      phase: row.phase,
      message: row.message,
      context: row.context_json ? ParsedContext.parse(JSON.parse(row.context_json)) : null,
      workspacePath: row.workspace_path,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async function update(id: string, patch: Partial<EnvironmentsTable>): Promise<void> {
    await db.updateTable('environments').set({ ...patch, updated_at: new Date().toISOString() }).where('id', '=', id).execute();
    const row = await db.selectFrom('environments').selectAll().where('id', '=', id).executeTakeFirst();
    if (row) hub.publish(row.org_id, { type: 'environment.changed', environment: await toEnvironment(row) }, row.user_id);
  }

  return {
    /** Newest first, in (created_at, id) descending order; the runner's name comes with the row. */
    async list(user: SessionUser, page: PageQuery = { limit: 50 }): Promise<{ environments: Environment[]; nextCursor: string | null }> {
      const after = decodeCursor(page.cursor, ['string', 'string'] as const);
      let query = db
        .selectFrom('environments')
        .leftJoin('runners', 'runners.id', 'environments.runner_id')
        .selectAll('environments')
        .select('runners.name as runner_name')
        .where('environments.user_id', '=', user.id);
      if (after) {
        const [createdAt, id] = after;
        query = query.where((eb) =>
          eb.or([eb('environments.created_at', '<', createdAt), eb.and([eb('environments.created_at', '=', createdAt), eb('environments.id', '<', id)])]),
        );
      }
      const rows = await query.orderBy('environments.created_at', 'desc').orderBy('environments.id', 'desc').limit(page.limit + 1).execute();
      const { items, nextCursor } = pageOf(rows, page.limit, (r) => [r.created_at, r.id]);
      return { environments: items.map(({ runner_name, ...row }) => withRunnerName(row, runner_name)), nextCursor };
    },

    async get(user: SessionUser, id: string): Promise<Environment> {
      const row = await db.selectFrom('environments').selectAll().where('id', '=', id).where('user_id', '=', user.id).executeTakeFirst();
      if (!row) throw notFound('This environment');
      return toEnvironment(row);
    },

    /**
     * Resolve the context URL through the runner with the user's own token (ParseContextURL), then let
     * the runner clone it. The environment is created only once the URL resolved, so a bad URL
     * leaves nothing behind.
     */
    async create(user: SessionUser, body: { contextUrl: string; runnerId: string }): Promise<Environment> {
      const runner = await deps.runners.requireRunner(user, body.runnerId);
      // The same words the page shows while the URL is typed: one message per case, from one parser.
      // Links on the hosts the runner's integrations serve, and on the origins its configuration
      // gives for them (an emulator under `npm start`), are read by their provider's parser.
      const integrations = await deps.db
        .selectFrom('scm_integrations')
        .select(['provider', 'host'])
        .where('org_id', '=', user.orgId)
        .where('runner_id', '=', runner.id)
        .where((eb) => eb.or([eb('oauth_enabled', '=', 1), eb('pat_enabled', '=', 1)]))
        .execute();
      const served = servedHostsOf({ integrations, sites: toRunner(runner).providerSites });
      const recognized = parseContextUrl(body.contextUrl, { served });
      if (!recognized.ok) throw new HttpError(400, 'validation_failed', recognized.message, { contextUrl: recognized.message });
      const conn = deps.link().connectionOf(runner.id);
      if (!conn) throw runnerOffline();
      let context;
      try {
        context = ParsedContext.parse(await conn.request('parseContext', { userId: user.id, contextUrl: body.contextUrl }, 20_000));
      } catch (err) {
        if (err instanceof LinkRequestError && contextErrors[err.code]) {
          const mapped = contextErrors[err.code]!;
          throw new HttpError(mapped.status, mapped.code, err.message, { contextUrl: err.message });
        }
        throw mapLinkError(err);
      }
      const now = new Date().toISOString();
      const row: EnvironmentsTable = {
        id: randomUUID(),
        org_id: user.orgId,
        user_id: user.id,
        runner_id: runner.id,
        context_url: body.contextUrl,
        phase: 'cloning',
        message: null,
        context_json: JSON.stringify(context),
        workspace_path: null,
        created_at: now,
        updated_at: now,
      };
      await db.insertInto('environments').values(row).execute();
      conn.request('createWorkspace', { environmentId: row.id, userId: user.id, context }, 10_000).catch((err) => {
        void update(row.id, { phase: 'failed', message: (err as Error).message });
      });
      const environment = await toEnvironment(row);
      hub.publish(user.orgId, { type: 'environment.changed', environment }, user.id);
      return environment;
    },

    /** Runner → BFF: progress of a clone. */
    async applyRunnerUpdate(runner: RunnersTable, params: unknown): Promise<{ ok: true }> {
      const p = EnvironmentUpdateParams.parse(params);
      const row = await db.selectFrom('environments').select(['id', 'runner_id']).where('id', '=', p.environmentId).executeTakeFirst();
      if (!row || row.runner_id !== runner.id) throw new LinkRequestError('not_found', 'Unknown environment.');
      await update(row.id, { phase: p.phase, message: p.message, ...(p.workspacePath !== undefined ? { workspace_path: p.workspacePath } : {}) });
      return { ok: true };
    },

    /**
     * Delete one of the user's environments: the runner removes its workspace folder first, so
     * nothing is left on disk that the dashboard no longer shows. An offline runner cannot, so the
     * environment stays until it is back.
     */
    async remove(user: SessionUser, id: string): Promise<void> {
      const row = await db.selectFrom('environments').selectAll().where('id', '=', id).where('user_id', '=', user.id).executeTakeFirst();
      if (!row) throw notFound('This environment');
      const conn = deps.link().connectionOf(row.runner_id);
      if (!conn) {
        throw new HttpError(502, 'runner_offline', 'The runner is offline, so it cannot remove the workspace folder. Start the runner, then delete the environment again.');
      }
      try {
        DeleteWorkspaceResult.parse(await conn.request('deleteWorkspace', { environmentId: row.id }, 30_000));
      } catch (err) {
        throw mapLinkError(err);
      }
      // Two deletes at once both asked the runner (removing a folder twice is harmless); one row goes.
      const deleted = await db.deleteFrom('environments').where('id', '=', row.id).executeTakeFirst();
      if (Number(deleted.numDeletedRows) !== 1) throw notFound('This environment');
      deps.log.info({ environmentId: row.id, runnerId: row.runner_id }, 'environment deleted');
      hub.publish(row.org_id, { type: 'environment.deleted', environmentId: row.id }, row.user_id);
    },
  };
}
export type EnvironmentService = ReturnType<typeof createEnvironmentService>;
