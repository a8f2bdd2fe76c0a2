import { sql } from 'kysely';
import type { IncrementResponse, Options, Store } from 'express-rate-limit';
import type { Db } from './database.ts';

/**
 * express-rate-limit's counters in the BFF's database, so every instance counts the same sign-in
 * attempts (its default store is per process). One atomic upsert per attempt: a window that has
 * ended starts over at 1. Expired rows are deleted now and then.
 */
export function createRateLimitStore(db: Db, prefix: string): Store {
  let windowMs = 60_000;
  let sinceCleanup = 0;
  const keyOf = (key: string) => `${prefix}:${key}`;
  return {
    prefix,
    init(options: Options) {
      windowMs = options.windowMs;
    },
    async increment(key: string): Promise<IncrementResponse> {
      const now = new Date();
      const nowIso = now.toISOString();
      const resetAt = new Date(now.getTime() + windowMs).toISOString();
      const row = await db
        .insertInto('rate_limit_hits')
        .values({ key: keyOf(key), hits: 1, reset_at: resetAt })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            hits: sql<number>`case when rate_limit_hits.reset_at <= ${nowIso} then 1 else rate_limit_hits.hits + 1 end`,
            reset_at: sql<string>`case when rate_limit_hits.reset_at <= ${nowIso} then ${resetAt} else rate_limit_hits.reset_at end`,
          }),
        )
        .returning(['hits', 'reset_at'])
        .executeTakeFirstOrThrow();
      if (++sinceCleanup >= 1_000) {
        sinceCleanup = 0;
        await db.deleteFrom('rate_limit_hits').where('reset_at', '<=', nowIso).execute();
      }
      return { totalHits: Number(row.hits), resetTime: new Date(row.reset_at) };
    },
    async decrement(key: string): Promise<void> {
      await db
        .updateTable('rate_limit_hits')
        .set({ hits: sql<number>`case when hits > 0 then hits - 1 else 0 end` })
        .where('key', '=', keyOf(key))
        .execute();
    },
    async resetKey(key: string): Promise<void> {
      await db.deleteFrom('rate_limit_hits').where('key', '=', keyOf(key)).execute();
    },
  };
}
