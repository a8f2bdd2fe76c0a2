import {
  EraseUserConnectionsResult,
  ListConnectionsResult,
  RevokeConnectionParams,
  RevokeConnectionResult,
  type RevokeRunnerConnectionResponse,
  type RunnerConnectionList,
  type SessionUser,
} from '@runner-console/contracts';
import { scmProviders } from '@runner-console/scm-providers';
import type { Db } from '../store/database.ts';
import type { AuditStore } from '../store/audit-store.ts';
import type { PendingErasuresStore } from '../store/pending-erasures-store.ts';
import type { RunnerLinkServer } from '../runner-link/link-server.ts';
import type { Logger } from '../logger.ts';
import { LinkRequestError } from '../runner-link/runner-connection.ts';
import { notFound } from '../http/http-error.ts';
import type { RunnerService } from './runner-service.ts';
import { mapLinkError, runnerOffline } from './runner-service.ts';

/** "Bitbucket" for bitbucket.org, as the developer's own Disconnect names it in the audit log; else the host. */
function providerLabel(host: string): string {
  return scmProviders.find((p) => p.defaultHost === host)?.name ?? host;
}

/** What one runner did with an offboarding erasure. */
export type MemberErasureOutcome =
  | { runnerId: string; status: 'erased'; erased: number; revokedAtProvider: number }
  /** Offline (or it failed to answer): kept in pending_erasures, delivered when the runner links again. */
  | { runnerId: string; status: 'pending' };

/**
 * Runner › Connections (admins) and offboarding: every developer's provider connection on a runner,
 * an admin's revoke of one, and the erasure of a removed member's connections on every runner.
 * The runners own the tokens; this asks them over the link and records who did what.
 */
export function createRunnerConnectionsService(deps: {
  db: Db;
  runners: RunnerService;
  audit: AuditStore;
  pending: PendingErasuresStore;
  link: () => RunnerLinkServer;
  log: Logger;
}) {
  const { db, runners, audit, pending, log } = deps;

  async function usersOf(orgId: string, ids: string[]) {
    if (ids.length === 0) return new Map<string, { name: string; email: string }>();
    const rows = await db.selectFrom('users').select(['id', 'name', 'email']).where('org_id', '=', orgId).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, { name: r.name, email: r.email }]));
  }

  /** Asks one runner to erase a user's tokens; the pending row goes once it confirmed. */
  async function deliverErasure(runner: { id: string; org_id: string; name: string }, userId: string, userEmail: string | null, actor: { id: string; email: string } | null, late: boolean): Promise<MemberErasureOutcome> {
    const conn = deps.link().connectionOf(runner.id);
    if (!conn) return { runnerId: runner.id, status: 'pending' };
    let result;
    try {
      result = EraseUserConnectionsResult.parse(await conn.request('eraseUserConnections', { userId }, 10_000));
    } catch (err) {
      log.warn({ runnerId: runner.id, err: (err as Error).message }, 'erasing a removed member\'s tokens failed; it is kept for the runner\'s next connection');
      return { runnerId: runner.id, status: 'pending' };
    }
    // Delivered twice at once (a reconnect while the member is being removed): one audit entry, by whoever removed the row.
    if (!(await pending.remove(runner.id, userId))) return { runnerId: runner.id, status: 'erased', ...result };
    await audit.record({
      orgId: runner.org_id,
      runnerId: runner.id,
      actor,
      action: 'git_authentication.member_erased',
      target: userEmail ?? userId,
      details: { userId, erased: result.erased, revokedAtProvider: result.revokedAtProvider, deliveredOnReconnect: late },
    });
    return { runnerId: runner.id, status: 'erased', ...result };
  }

  return {
    async list(user: SessionUser, runnerId: string): Promise<RunnerConnectionList> {
      const runner = await runners.requireRunner(user, runnerId);
      const conn = deps.link().connectionOf(runner.id);
      if (!conn) throw runnerOffline();
      let listed;
      try {
        // Parsed with the contract: a field the runner should not send (a token) is dropped here.
        listed = ListConnectionsResult.parse(await conn.request('listConnections', {}, 5_000));
      } catch (err) {
        throw mapLinkError(err);
      }
      const users = await usersOf(runner.org_id, [...new Set(listed.connections.map((c) => c.userId))]);
      return {
        connections: listed.connections.map((c) => ({ ...c, userName: users.get(c.userId)?.name ?? null, userEmail: users.get(c.userId)?.email ?? null })),
      };
    },

    /** Same effect as the developer's own Disconnect, plus revocation at the provider where it can. */
    async revoke(user: SessionUser, runnerId: string, tokenId: string): Promise<RevokeRunnerConnectionResponse> {
      const runner = await runners.requireRunner(user, runnerId);
      // An id no runner could hold is no connection: 404 without asking the runner.
      if (!RevokeConnectionParams.safeParse({ tokenId }).success) throw notFound('This connection');
      const conn = deps.link().connectionOf(runner.id);
      if (!conn) throw runnerOffline();
      let result;
      try {
        result = RevokeConnectionResult.parse(await conn.request('revokeConnection', { tokenId }, 15_000));
      } catch (err) {
        if (err instanceof LinkRequestError && err.code === 'not_found') throw notFound('This connection');
        throw mapLinkError(err);
      }
      const { connection, atProvider } = result;
      const owner = (await usersOf(runner.org_id, [connection.userId])).get(connection.userId);
      await audit.record({
        orgId: runner.org_id,
        runnerId: runner.id,
        actor: user,
        action: 'git_authentication.revoked',
        target: `${providerLabel(connection.host)} (${connection.accountName})`,
        details: { userId: connection.userId, userEmail: owner?.email ?? null, host: connection.host, method: connection.method, accountUsername: connection.accountUsername, atProvider },
      });
      return { atProvider };
    },

    /**
     * Offboarding: every runner of the organization erases all of the user's provider tokens and
     * revokes them at the provider where it can. Written to pending_erasures first, so a runner
     * that is offline now (or fails to answer) does it when it links again (`deliverPending`).
     * For member removal: app.ts wires it as the members service's `onMemberRemoved`.
     */
    async eraseMemberConnections(orgId: string, userId: string, opts: { userEmail?: string | null; actor?: { id: string; email: string } | null } = {}): Promise<MemberErasureOutcome[]> {
      const userEmail = opts.userEmail ?? (await db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst())?.email ?? null;
      const orgRunners = await db.selectFrom('runners').select(['id', 'org_id', 'name']).where('org_id', '=', orgId).execute();
      await pending.add(orgRunners.map((r) => ({ orgId, runnerId: r.id, userId, userEmail })));
      const outcomes = await Promise.all(orgRunners.map((r) => deliverErasure(r, userId, userEmail, opts.actor ?? null, false)));
      const waiting = outcomes.filter((o) => o.status === 'pending').map((o) => o.runnerId);
      if (waiting.length) log.info({ userId, runners: waiting }, 'a removed member\'s tokens will be erased on these runners when they connect');
      return outcomes;
    },

    /** A runner linked: erasures it missed while offline go to it now. */
    async deliverPending(runnerId: string): Promise<void> {
      const rows = await pending.listForRunner(runnerId);
      if (rows.length === 0) return;
      const runner = await db.selectFrom('runners').select(['id', 'org_id', 'name']).where('id', '=', runnerId).executeTakeFirst();
      if (!runner) return;
      for (const row of rows) await deliverErasure(runner, row.user_id, row.user_email, null, true);
    },
  };
}
export type RunnerConnectionsService = ReturnType<typeof createRunnerConnectionsService>;
