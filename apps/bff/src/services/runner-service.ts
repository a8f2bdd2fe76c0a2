import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type {
  AcceptRunnerKeyRequest,
  CreateRunnerRequest,
  CreateRunnerResponse,
  DeleteRunnerResponse,
  PageQuery,
  PingRunnerResponse,
  Runner,
  RunnerDeletionImpact,
  SessionUser,
  UpdateRunnerRequest,
} from '@runner-console/contracts';
import { CountTokensResult, EraseAllResult, PingResult, RotateKeyResult, linkCloseCodes as linkCloseCodeTable } from '@runner-console/contracts';
import { calculateJwkThumbprint } from 'jose';
import type { RunnersStore } from '../store/runners-store.ts';
import type { RunnersTable } from '../store/schema.ts';
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
  /** Settings every runner of this deployment needs (a test stack's emulator URLs). */
  extraEnv: Record<string, string>;
  /** The SHA-256 (hex) of the runner file this BFF serves; null when it is not built. */
  runnerSha256: () => string | null;
}

/** Close codes the runner link uses when a runner's token stops being valid (one table: contracts). */
export const linkCloseCodes = { runnerDeleted: linkCloseCodeTable.runnerDeleted, tokenRevoked: linkCloseCodeTable.tokenRevoked } as const;

function kidOfJson(jwkJson: string | null | undefined): string | null {
  return jwkJson ? (JSON.parse(jwkJson) as { kid: string }).kid : null;
}

/** Trailing slashes off, so "https://runner.acme.internal/" and ".../" pin the same URL. */
function normalizePublicUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

export function createRunnerService(deps: {
  store: RunnersStore;
  audit: AuditStore;
  hub: EventHub;
  link: () => RunnerLinkServer;
  startCommand: StartCommandContext;
  /** What deleting a runner takes with it besides its own row (integrations' read caches). */
  integrations: { countByRunner(runnerId: string): Promise<number>; listSummaries(runnerId: string): Promise<{ id: string; provider: string; host: string }[]>; forgetRunner(): void };
}) {
  const { store, audit, hub } = deps;

  function requireSelfHosted(row: RunnersTable, what: string) {
    if (row.kind === 'local') {
      throw new HttpError(
        409,
        'conflict',
        `The Local runner comes with \`npm start\`, which starts it with its own token and sets it up again on every start, so it cannot ${what}. Set up a new runner for a machine of your own.`,
      );
    }
  }

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

    findById: (runnerId: string) => store.findById(runnerId),

    /**
     * A URL for a runner on the BFF's own machine: localhost on a port the operating system says is
     * free now, and that no runner has pinned.
     */
    async suggestPublicUrl(): Promise<{ publicUrl: string }> {
      const taken = new Set((await store.pinnedPublicUrls()).map((u) => { try { return new URL(u).port; } catch { return ''; } }));
      for (let attempt = 0; attempt < 20; attempt++) {
        const port = await freeLoopbackPort();
        if (!taken.has(String(port))) return { publicUrl: `http://localhost:${port}` };
      }
      throw new HttpError(503, 'internal', 'No free port was found on this machine. Enter the public URL yourself.');
    },

    async update(user: SessionUser, runnerId: string, body: UpdateRunnerRequest): Promise<Runner> {
      const row = await requireRunner(user, runnerId);
      const patch: { name?: string; pinned_public_url?: string } = {};
      if (body.name !== undefined && body.name !== row.name) {
        const clash = await store.findByName(user.orgId, body.name);
        if (clash && clash.id !== row.id) {
          throw new HttpError(409, 'conflict', `A runner named "${body.name}" already exists. Choose another name.`, { name: `A runner named "${body.name}" already exists.` });
        }
        patch.name = body.name;
      }
      const publicUrl = body.publicUrl === undefined ? undefined : normalizePublicUrl(body.publicUrl);
      if (publicUrl !== undefined && publicUrl !== row.pinned_public_url) patch.pinned_public_url = publicUrl;
      if (!Object.keys(patch).length) return toRunner(row);
      const updated = (await store.update(runnerId, patch))!;
      if (patch.name !== undefined) {
        await audit.record({ orgId: user.orgId, runnerId, actor: user, action: 'runner.renamed', target: patch.name, details: { from: row.name, to: patch.name } });
      }
      if (patch.pinned_public_url !== undefined) {
        await audit.record({ orgId: user.orgId, runnerId, actor: user, action: 'runner.public_url_changed', target: updated.name, details: { from: row.pinned_public_url, to: patch.pinned_public_url } });
      }
      const runner = toRunner(updated);
      hub.publish(user.orgId, { type: 'runner.changed', runner });
      return runner;
    },

    /** A new token; the old one stops working at once, and a connected runner is told why and disconnected. */
    async newToken(user: SessionUser, runnerId: string): Promise<CreateRunnerResponse> {
      const row = await requireRunner(user, runnerId);
      requireSelfHosted(row, 'get a new token');
      const runnerToken = createSecretToken('rct');
      await store.setTokenHash(runnerId, hashSecretToken(runnerToken));
      // A key presented with the old token is forgotten with it: the new token's holder is the admin's choice.
      const droppedPendingKid = kidOfJson(row.pending_public_key_jwk);
      if (droppedPendingKid) await store.clearPendingKey(runnerId);
      const wasConnected = deps.link().disconnect(runnerId, linkCloseCodes.tokenRevoked, 'runner token revoked: a new token was made in Runner Console');
      await audit.record({
        orgId: user.orgId,
        runnerId,
        actor: user,
        action: 'runner.token_replaced',
        target: row.name,
        details: droppedPendingKid ? { disconnected: wasConnected, droppedPendingKid } : { disconnected: wasConnected },
      });
      const updated = (await store.findById(runnerId))!;
      const runner = toRunner(updated);
      hub.publish(user.orgId, { type: 'runner.changed', runner });
      return { runner, runnerToken, startCommand: buildStartCommand(deps.startCommand, updated) };
    },

    async deletionImpact(user: SessionUser, runnerId: string): Promise<RunnerDeletionImpact> {
      const row = await requireRunner(user, runnerId);
      const conn = deps.link().connectionOf(runnerId);
      let developerTokens: number | null = null;
      if (conn) {
        try {
          developerTokens = CountTokensResult.parse(await conn.request('countTokens', {}, 5_000)).tokens;
        } catch {
          developerTokens = null;
        }
      }
      return {
        integrations: await deps.integrations.listSummaries(row.id),
        environments: await store.countEnvironments(row.id),
        developerTokens,
        runnerOnline: Boolean(conn),
      };
    },

    /**
     * Delete the runner and what goes with it. A connected runner first erases every developer token
     * and workspace it holds, then is disconnected; an offline one cannot connect again (its token
     * is gone with it), and its data folder stays until someone removes it.
     */
    async remove(user: SessionUser, runnerId: string): Promise<DeleteRunnerResponse> {
      const row = await requireRunner(user, runnerId);
      requireSelfHosted(row, 'be deleted');
      // A second delete (a double click, on this instance or another) finds the runner gone.
      if (!(await store.claimForDeletion(row.id))) throw notFound('This runner');
      const integrations = await deps.integrations.countByRunner(row.id);
      const environments = await store.countEnvironments(row.id);
      const conn = deps.link().connectionOf(runnerId);
      let erased: { tokens: number; workspaces: number } | null = null;
      if (conn) {
        try {
          erased = EraseAllResult.parse(await conn.request('eraseAll', {}, 30_000));
        } catch {
          erased = null;
        }
      }
      await store.remove(row.id);
      deps.integrations.forgetRunner();
      deps.link().disconnect(runnerId, linkCloseCodes.runnerDeleted, 'runner deleted in Runner Console');
      await audit.record({
        orgId: user.orgId,
        runnerId,
        actor: user,
        action: 'runner.deleted',
        target: row.name,
        details: { integrations, environments, erasedTokens: erased?.tokens ?? null, erasedWorkspaces: erased?.workspaces ?? null },
      });
      hub.publish(user.orgId, { type: 'runner.deleted', runnerId });
      return {
        deletedIntegrations: integrations,
        deletedEnvironments: environments,
        runnerErased: erased !== null,
        erasedTokens: erased?.tokens ?? null,
        erasedWorkspaces: erased?.workspaces ?? null,
      };
    },

    async create(user: SessionUser, body: CreateRunnerRequest): Promise<CreateRunnerResponse> {
      const { name } = body;
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
        pinned_public_url: body.publicUrl ? normalizePublicUrl(body.publicUrl) : null,
        public_key_jwk: null,
        pending_public_key_jwk: null,
        pending_key_at: null,
        last_seen_at: null,
        created_at: new Date().toISOString(),
        created_by: user.id,
      };
      await store.insert(row);
      await audit.record({ orgId: user.orgId, runnerId: id, actor: user, action: 'runner.created', target: name });
      const runner = toRunner(row);
      hub.publish(user.orgId, { type: 'runner.changed', runner });
      return { runner, runnerToken, startCommand: buildStartCommand(deps.startCommand, row) };
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
      await audit.record({ orgId: user.orgId, runnerId, actor: user, action: 'runner.key_rotated', target: row.name, details: { kid, previousKid: kidOfJson(row.public_key_jwk) } });
      const runner = toRunner(updated!);
      hub.publish(user.orgId, { type: 'runner.changed', runner });
      await onRotated(runnerId);
      return runner;
    },

    /**
     * An admin accepts the key a refused connection presented (the runner's `pendingKey`), naming
     * its kid as shown to them. The runner connects with it on its next try. Accepting the key
     * already in force (a second click) answers the runner as it is.
     */
    async acceptKey(user: SessionUser, runnerId: string, body: AcceptRunnerKeyRequest, onAccepted: (runnerId: string) => Promise<void>): Promise<Runner> {
      const row = await requireRunner(user, runnerId);
      const pinnedKid = kidOfJson(row.public_key_jwk);
      if (pinnedKid === body.kid) return toRunner(row);
      const pendingKid = kidOfJson(row.pending_public_key_jwk);
      if (!pendingKid) {
        throw new HttpError(409, 'conflict', 'No new key is waiting for this runner. Reload the page to see its current key.');
      }
      const updated = pendingKid === body.kid ? await store.acceptPendingKey(runnerId, body.kid) : undefined;
      if (!updated) {
        throw new HttpError(
          409,
          'conflict',
          'The runner has since presented another key than the one you confirmed. Nothing changed: reload the page and compare the key ids again.',
        );
      }
      await audit.record({ orgId: user.orgId, runnerId, actor: user, action: 'runner.key_accepted', target: row.name, details: { previousKid: pinnedKid, kid: body.kid } });
      const runner = toRunner(updated);
      hub.publish(user.orgId, { type: 'runner.changed', runner });
      // Secrets sealed to the old key cannot be opened with the new one: they need entering again.
      await onAccepted(runnerId);
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

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Where the start command keeps the runner token, beside runner.mjs (mode 0600). */
export const runnerTokenFile = 'runner.token';

/**
 * The exact command an admin runs on the runner's machine, in an empty folder. It asks for the
 * runner token (pasted, not echoed, so it lands neither in shell history nor on a command line),
 * writes it to runner.token with mode 0600, downloads the runner file from the BFF, checks it
 * against the SHA-256 carried in the command itself (a digest fetched from the same server as the
 * file would prove nothing), and starts it with plain node and `--token-file`. The public URL is
 * pinned, and for a URL on this machine the listen port too, so running the same command again
 * brings the runner back at the same callback URL. Data stays in ./runner-data.
 */
export function buildStartCommand(ctx: StartCommandContext, runner: Pick<RunnersTable, 'pinned_public_url'>): string {
  const download = `${ctx.bffUrl}/downloads/runner.mjs`;
  const env: Record<string, string> = { BFF_URL: ctx.bffUrl };
  if (runner.pinned_public_url) {
    env.RUNNER_PUBLIC_URL = runner.pinned_public_url;
    const url = new URL(runner.pinned_public_url);
    if (loopbackHosts.has(url.hostname)) env.RUNNER_PORT = url.port || (url.protocol === 'https:' ? '443' : '80');
  }
  env.RUNNER_DATA_DIR = './runner-data';
  Object.assign(env, ctx.extraEnv);
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`);
  const sha256 = ctx.runnerSha256();
  const verify = sha256
    ? `echo ${shellQuote(`${sha256}  runner.mjs`)} | sha256sum -c -`
    : `{ echo ${shellQuote('This Runner Console has no runner file to offer: ask its operator to build it (npm start builds it).')} >&2; false; }`;
  return [
    // printf and read are shell builtins: the token is never an argument of a process.
    `printf 'Runner token: ' && read -rs RUNNER_TOKEN_INPUT && echo`,
    `  && (umask 077 && rm -f ${runnerTokenFile} && printf '%s\\n' "$RUNNER_TOKEN_INPUT" > ${runnerTokenFile})`,
    '  && unset RUNNER_TOKEN_INPUT',
    `  && curl -fsSLO ${shellQuote(download)}`,
    `  && ${verify}`,
    `  && ${assignments.join(' ')} node runner.mjs --token-file ${runnerTokenFile}`,
  ].join(' \\\n');
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
