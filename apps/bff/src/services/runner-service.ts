import { randomUUID } from 'node:crypto';
import type { CreateRunnerResponse, PageQuery, PingRunnerResponse, Runner, SessionUser } from '@runner-console/contracts';
import { PingResult, RotateKeyResult } from '@runner-console/contracts';
import { calculateJwkThumbprint } from 'jose';
import type { RunnersStore } from '../store/runners-store.ts';
import { toRunner } from '../store/runners-store.ts';
import type { AuditStore } from '../store/audit-store.ts';
import type { EventHub } from '../events/event-hub.ts';
import type { RunnerLinkServer } from '../runner-link/link-server.ts';
import { LinkRequestError } from '../runner-link/runner-connection.ts';
import { HttpError, notFound } from '../http/http-error.ts';
import { createSecretToken, hashSecretToken } from './secret-tokens.ts';
import { decodeCursor, pageOf } from './page-cursor.ts';

export interface StartCommandContext {
  bffUrl: string;
  dataDir: string;
  extraEnv: Record<string, string>;
}

export function createRunnerService(deps: {
  store: RunnersStore;
  audit: AuditStore;
  hub: EventHub;
  link: () => RunnerLinkServer;
  startCommand: StartCommandContext;
}) {
  const { store, audit, hub } = deps;

  async function requireRunner(user: SessionUser, runnerId: string) {
    const row = await store.findInOrg(user.orgId, runnerId);
    if (!row) throw notFound('This runner');
    return row;
  }

  return {
    requireRunner,

    /** 404 unless the runner is in the user's org: for answers that need only its id. */
    async requireRunnerInOrg(user: SessionUser, runnerId: string): Promise<void> {
      if (!(await store.isInOrg(user.orgId, runnerId))) throw notFound('This runner');
    },

    async list(user: SessionUser, page: PageQuery = { limit: 50 }): Promise<{ runners: Runner[]; nextCursor: string | null }> {
      const after = decodeCursor(page.cursor, ['string', 'string'] as const);
      const rows = await store.listPageByOrg(user.orgId, page.limit, after);
      const { items, nextCursor } = pageOf(rows, page.limit, (r) => [r.created_at, r.name]);
      return { runners: items.map(toRunner), nextCursor };
    },

    async get(user: SessionUser, runnerId: string): Promise<Runner> {
      return toRunner(await requireRunner(user, runnerId));
    },

    async create(user: SessionUser, name: string): Promise<CreateRunnerResponse> {
      if (await store.findByName(user.orgId, name)) {
        throw new HttpError(409, 'conflict', `A runner named "${name}" already exists. Choose another name.`, {
          name: `A runner named "${name}" already exists.`,
        });
      }
      const id = randomUUID();
      const runnerToken = createSecretToken('rct');
      const row = {
        id,
        org_id: user.orgId,
        name,
        kind: 'self-hosted' as const,
        token_hash: hashSecretToken(runnerToken),
        phase: 'created' as const,
        version: null,
        region: null,
        public_url: null,
        public_key_jwk: null,
        last_seen_at: null,
        created_at: new Date().toISOString(),
        created_by: user.id,
      };
      await store.insert(row);
      await audit.record({ orgId: user.orgId, runnerId: id, actor: user, action: 'runner.created', target: name });
      const runner = toRunner(row);
      hub.publish(user.orgId, { type: 'runner.changed', runner });
      return { runner, runnerToken, startCommand: buildStartCommand(deps.startCommand, id, runnerToken) };
    },

    /** Ask the runner for a new key pair and record its public half. Returns the updated runner. */
    async rotateKey(user: SessionUser, runnerId: string, onRotated: (runnerId: string) => Promise<void>): Promise<Runner> {
      const row = await requireRunner(user, runnerId);
      const conn = deps.link().connectionOf(runnerId);
      if (!conn) throw runnerOffline();
      let publicKey;
      try {
        ({ publicKey } = RotateKeyResult.parse(await conn.request('rotateKey', {}, 10_000)));
      } catch (err) {
        throw mapLinkError(err);
      }
      const { kid, ...jwk } = publicKey;
      if ((await calculateJwkThumbprint(jwk, 'sha256')) !== kid) {
        throw new HttpError(502, 'provider_error', 'The runner answered with a key whose id does not match it. The key was not changed.');
      }
      const updated = await store.setPublicKey(runnerId, publicKey);
      await audit.record({ orgId: user.orgId, runnerId, actor: user, action: 'runner.key_rotated', target: row.name, details: { kid } });
      const runner = toRunner(updated!);
      hub.publish(user.orgId, { type: 'runner.changed', runner });
      await onRotated(runnerId);
      return runner;
    },

    async ping(user: SessionUser, runnerId: string): Promise<PingRunnerResponse> {
      await requireRunner(user, runnerId);
      const conn = deps.link().connectionOf(runnerId);
      if (!conn) throw runnerOffline();
      const started = performance.now();
      try {
        const result = PingResult.parse(await conn.request('ping', {}, 5_000));
        return { ok: true, roundTripMs: Math.round((performance.now() - started) * 10) / 10, runnerVersion: result.version };
      } catch (err) {
        throw mapLinkError(err);
      }
    },
  };
}
export type RunnerService = ReturnType<typeof createRunnerService>;

export function runnerOffline(): HttpError {
  return new HttpError(502, 'runner_offline', 'The runner is offline. Start it (or check its network) and try again.');
}

/** Turn a failed link request into a clear API error. */
export function mapLinkError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof LinkRequestError) {
    if (err.code === 'runner_timeout') return new HttpError(504, 'runner_timeout', 'The runner did not answer in time. Check that it is running and try again.');
    if (err.code === 'runner_offline') return runnerOffline();
    return new HttpError(502, 'provider_error', err.message);
  }
  return new HttpError(502, 'runner_offline', 'The runner could not be reached. Try again.');
}

/** The exact command an admin runs, from the Runner Console folder, to start this runner. */
function buildStartCommand(ctx: StartCommandContext, runnerId: string, token: string): string {
  const env: Record<string, string> = {
    RUNNER_TOKEN: token,
    BFF_URL: ctx.bffUrl,
    RUNNER_PORT: '0',
    RUNNER_DATA_DIR: `${ctx.dataDir}/runners/${runnerId}`,
    ...ctx.extraEnv,
  };
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`);
  return `${assignments.join(' ')} npm run runner`;
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
