import { randomInt, randomUUID } from 'node:crypto';
import type { SessionUser, SetupRequest } from '@runner-console/contracts';
import type { Db } from '../store/database.ts';
import type { AuditStore } from '../store/audit-store.ts';
import type { Logger } from '../logger.ts';
import { HttpError } from '../http/http-error.ts';
import type { AuthService } from './auth-service.ts';
import { hashPassword } from './password-hashing.ts';
import { hashSecretToken } from './secret-tokens.ts';

/** No 0/O, 1/I/L: a code read from a log and typed by hand should not be misread. */
const codeAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** 16 characters from 31 (about 79 bits), in groups of four: XXXX-XXXX-XXXX-XXXX. */
export function createSetupCode(): string {
  const chars = Array.from({ length: 16 }, () => codeAlphabet[randomInt(codeAlphabet.length)]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** What is compared: upper case, without the dashes and spaces people add or drop when copying. */
function hashSetupCode(code: string): string {
  return hashSecretToken(`setup:${code.toUpperCase().replace(/[\s-]/g, '')}`);
}

export const setupDoneMessage = 'Runner Console is already set up. Sign in, or ask an admin of your organization for an invitation.';
const setupDone = () => new HttpError(404, 'not_found', setupDoneMessage);

/** Whether the deployment has no user yet: decided from the database, so every instance agrees. */
export async function isSetupNeeded(db: Db): Promise<boolean> {
  const anyUser = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  return !anyUser;
}

/**
 * At start-up, on a database with no user: store a new set-up code's hash and log the code. Each
 * instance of a cluster does so with its own code; any instance accepts any stored code (the first
 * set-up deletes them all). Following Jenkins' and Grafana's initial-password pattern: only someone
 * who can read the server's log can claim a fresh deployment.
 */
export async function announceSetupCode(db: Db, log: Logger, setupUrl: string): Promise<string | undefined> {
  if (!(await isSetupNeeded(db))) return undefined;
  const code = createSetupCode();
  await db.insertInto('setup_codes').values({ code_hash: hashSetupCode(code), created_at: new Date().toISOString() }).execute();
  log.warn({ setupUrl }, `Runner Console has no account yet. Open ${setupUrl} and enter this set-up code: ${code}`);
  return code;
}

export function createSetupService(deps: { db: Db; auth: AuthService; audit: AuditStore }) {
  const { db, auth, audit } = deps;
  return {
    async status(): Promise<{ setupNeeded: true }> {
      if (!(await isSetupNeeded(db))) throw setupDone();
      return { setupNeeded: true };
    },

    /**
     * Create the organization and its first admin, once. In one transaction: no user may exist yet,
     * and the stored codes are deleted (all of them) while the given one must be among them. Two
     * set-ups at once: on PostgreSQL the second's delete waits for the first's rows and then finds
     * none (404); SQLite runs the transactions one after the other. A wrong code rolls back.
     */
    async complete(body: SetupRequest): Promise<{ sessionToken: string; user: SessionUser }> {
      if (!(await isSetupNeeded(db))) throw setupDone();
      const passwordHash = await hashPassword(body.password);
      const given = hashSetupCode(body.code);
      const now = new Date().toISOString();
      const orgId = randomUUID();
      const userId = randomUUID();
      await db.transaction().execute(async (trx) => {
        const deleted = await trx.deleteFrom('setup_codes').returning('code_hash').execute();
        if (deleted.length === 0) throw setupDone();
        if ((await trx.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined) throw setupDone();
        if (!deleted.some((row) => row.code_hash === given)) {
          throw new HttpError(400, 'validation_failed', 'That set-up code is not right.', {
            code: 'That set-up code is not right. Copy it from the line holding "set-up code" in the log of Runner Console (its BFF).',
          });
        }
        await trx.insertInto('orgs').values({ id: orgId, name: body.orgName, created_at: now }).execute();
        await trx
          .insertInto('users')
          .values({ id: userId, org_id: orgId, email: body.email, name: body.name, role: 'admin', password_hash: passwordHash, created_at: now })
          .execute();
      });
      await audit.record({ orgId, runnerId: null, actor: { id: userId, email: body.email }, action: 'org.set_up', target: body.orgName, details: { admin: body.email } });
      return auth.startSession(userId);
    },
  };
}
export type SetupService = ReturnType<typeof createSetupService>;
