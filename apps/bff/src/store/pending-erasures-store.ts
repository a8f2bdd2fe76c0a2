import { randomUUID } from 'node:crypto';
import type { Db } from './database.ts';

/** Erasures of removed members' tokens that their runner has not confirmed yet (see migration 0015). */
export function createPendingErasuresStore(db: Db) {
  return {
    /** Records one per runner; a repeat for the same runner and user keeps the first. */
    async add(entries: { orgId: string; runnerId: string; userId: string; userEmail: string | null }[]): Promise<void> {
      if (entries.length === 0) return;
      const at = new Date().toISOString();
      await db
        .insertInto('pending_erasures')
        .values(entries.map((e) => ({ id: randomUUID(), org_id: e.orgId, runner_id: e.runnerId, user_id: e.userId, user_email: e.userEmail, created_at: at })))
        .onConflict((oc) => oc.columns(['runner_id', 'user_id']).doNothing())
        .execute();
    },
    async listForRunner(runnerId: string) {
      return db.selectFrom('pending_erasures').selectAll().where('runner_id', '=', runnerId).orderBy('created_at').execute();
    },
    /** Gone once the runner confirmed; false when another instance delivered it first. */
    async remove(runnerId: string, userId: string): Promise<boolean> {
      const result = await db.deleteFrom('pending_erasures').where('runner_id', '=', runnerId).where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
export type PendingErasuresStore = ReturnType<typeof createPendingErasuresStore>;
