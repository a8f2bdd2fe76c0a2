import { sql } from 'kysely';
import type { Db } from './database.ts';

export interface SignInThrottleOptions {
  /** Failed attempts for one account, from anywhere, before password sign-in pauses. */
  freeFailures: number;
  /** Failures older than this are forgotten. */
  windowMs: number;
  /** The first pause; each further failure doubles it, up to maxLockMs. */
  baseLockMs: number;
  maxLockMs: number;
}

export const defaultSignInThrottle: SignInThrottleOptions = {
  freeFailures: 20,
  windowMs: 60 * 60 * 1000,
  baseLockMs: 60 * 1000,
  maxLockMs: 60 * 60 * 1000,
};

/**
 * Failed sign-ins per account, whatever address they come from, with exponential backoff: the
 * per-client limit (express-rate-limit, keyed on address and e-mail) stops one client, and this stops
 * many clients, or one that lies about its address, from guessing one account's password. Past
 * `freeFailures` failures in `windowMs`, the account's password sign-in pauses for baseLockMs,
 * doubling with each further failure up to maxLockMs. A success clears it.
 *
 * Written here rather than with express-rate-limit because that library has fixed windows and no
 * backoff. The counters live in the database (the same table as the per-client limit's, under
 * their own keys) so every instance of a cluster sees them. Keyed on the e-mail as typed (trimmed
 * and lower-cased), whether or not such an account exists, so the answer says nothing about which
 * accounts exist.
 */
export function createSignInThrottle(db: Db, options: SignInThrottleOptions = defaultSignInThrottle) {
  const failuresKey = (email: string) => `sign-in-account:${email.trim().toLowerCase().slice(0, 254)}`;
  const lockKey = (email: string) => `sign-in-account-lock:${email.trim().toLowerCase().slice(0, 254)}`;

  return {
    /** How long password sign-in for this account is paused now, in ms (0: not paused). */
    async pausedFor(email: string): Promise<number> {
      const row = await db.selectFrom('rate_limit_hits').select('reset_at').where('key', '=', lockKey(email)).executeTakeFirst();
      return row ? Math.max(0, Date.parse(row.reset_at) - Date.now()) : 0;
    },

    /** Count a failure; past the free ones, pause the account (longer each time). */
    async recordFailure(email: string): Promise<void> {
      const now = new Date();
      const nowIso = now.toISOString();
      const windowEnd = new Date(now.getTime() + options.windowMs).toISOString();
      const row = await db
        .insertInto('rate_limit_hits')
        .values({ key: failuresKey(email), hits: 1, reset_at: windowEnd })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            hits: sql<number>`case when rate_limit_hits.reset_at <= ${nowIso} then 1 else rate_limit_hits.hits + 1 end`,
            // Each failure keeps the count alive for another window: a slow guesser is not forgiven.
            reset_at: windowEnd,
          }),
        )
        .returning(['hits'])
        .executeTakeFirstOrThrow();
      const over = Number(row.hits) - options.freeFailures;
      if (over <= 0) return;
      const lockMs = Math.min(options.maxLockMs, options.baseLockMs * 2 ** Math.min(over - 1, 30));
      const until = new Date(now.getTime() + lockMs).toISOString();
      await db
        .insertInto('rate_limit_hits')
        .values({ key: lockKey(email), hits: over, reset_at: until })
        .onConflict((oc) => oc.column('key').doUpdateSet({ hits: over, reset_at: until }))
        .execute();
    },

    async clear(email: string): Promise<void> {
      await db.deleteFrom('rate_limit_hits').where('key', 'in', [failuresKey(email), lockKey(email)]).execute();
    },
  };
}
export type SignInThrottle = ReturnType<typeof createSignInThrottle>;
