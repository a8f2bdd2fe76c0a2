import { randomUUID } from 'node:crypto';
import type { Db } from './database.ts';

export interface AuditEntryInput {
  orgId: string;
  runnerId: string | null;
  /** A request made with an API token passes its creator with `apiToken` set (SessionUser does). */
  actor: { id: string; email: string; apiToken?: { id: string; name: string } } | null;
  action: string;
  target: string;
  /** Never a secret: callers pass field names and non-secret values only. */
  details?: Record<string, unknown>;
}

export function createAuditStore(db: Db) {
  return {
    async record(entry: AuditEntryInput): Promise<void> {
      await db
        .insertInto('audit_log')
        .values({
          id: randomUUID(),
          org_id: entry.orgId,
          runner_id: entry.runnerId,
          actor_id: entry.actor?.id ?? null,
          actor_email: entry.actor?.email ?? null,
          actor_token_name: entry.actor?.apiToken?.name ?? null,
          action: entry.action,
          target: entry.target,
          details: JSON.stringify(entry.details ?? {}),
          at: new Date().toISOString(),
        })
        .execute();
    },
    /** Newest first; `beforeSeq` continues after the last row of the previous page. */
    async listForRunner(orgId: string, runnerId: string, limit = 100, beforeSeq?: number) {
      let query = db.selectFrom('audit_log').selectAll().where('org_id', '=', orgId).where('runner_id', '=', runnerId);
      if (beforeSeq !== undefined) query = query.where('seq', '<', beforeSeq);
      return query.orderBy('seq', 'desc').limit(limit).execute();
    },
    /** The whole organization's log, org events and every runner's, newest first, with each runner's name. */
    async listForOrg(orgId: string, limit = 100, beforeSeq?: number) {
      let query = db
        .selectFrom('audit_log')
        .leftJoin('runners', 'runners.id', 'audit_log.runner_id')
        .selectAll('audit_log')
        .select('runners.name as runner_name')
        .where('audit_log.org_id', '=', orgId);
      if (beforeSeq !== undefined) query = query.where('audit_log.seq', '<', beforeSeq);
      return query.orderBy('audit_log.seq', 'desc').limit(limit).execute();
    },
  };
}
/**
 * Who acted, as the audit log shows it: the user's e-mail, or for a request made with an API token
 * `API token "CI" (admin@acme.test)`, the token's name with the admin who made it.
 */
export function describeAuditActor(row: { actor_email: string | null; actor_token_name?: string | null }): string | null {
  if (row.actor_token_name) return `API token "${row.actor_token_name}" (${row.actor_email ?? 'removed user'})`;
  return row.actor_email;
}

export type AuditStore = ReturnType<typeof createAuditStore>;
