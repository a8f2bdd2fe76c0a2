import { randomUUID } from 'node:crypto';
import type { Db } from '../store/database.ts';
import type { Logger } from '../logger.ts';
import { hashPassword, publicPasswordParams } from './password-hashing.ts';
import { hashSecretToken } from './secret-tokens.ts';

export const seedAccounts = [
  { email: 'admin@acme.test', password: 'admin', name: 'Ada Admin', role: 'admin' as const },
  { email: 'dev@acme.test', password: 'dev', name: 'Dev Developer', role: 'member' as const },
];

/**
 * Development seed: organization "Acme", its two accounts and "Local runner". Idempotent: a second
 * start finds them and creates nothing twice. Never called in production.
 */
export async function seedDevData(db: Db, log: Logger, localRunnerToken: string | undefined): Promise<void> {
  const now = new Date().toISOString();
  let org = await db.selectFrom('orgs').selectAll().where('name', '=', 'Acme').executeTakeFirst();
  if (!org) {
    org = { id: randomUUID(), name: 'Acme', created_at: now };
    await db.insertInto('orgs').values(org).execute();
    log.info('seeded organization Acme');
  }
  for (const account of seedAccounts) {
    const exists = await db.selectFrom('users').select('id').where('email', '=', account.email).executeTakeFirst();
    if (exists) continue;
    await db
      .insertInto('users')
      .values({
        id: randomUUID(),
        org_id: org.id,
        email: account.email,
        name: account.name,
        role: account.role,
        // The seed's passwords are public: see publicPasswordParams.
        password_hash: await hashPassword(account.password, publicPasswordParams),
        created_at: now,
      })
      .execute();
    log.info({ email: account.email }, 'seeded user');
  }
  if (!localRunnerToken) return;
  const tokenHash = hashSecretToken(localRunnerToken);
  const local = await db.selectFrom('runners').selectAll().where('org_id', '=', org.id).where('kind', '=', 'local').executeTakeFirst();
  if (!local) {
    await db
      .insertInto('runners')
      .values({
        id: randomUUID(),
        org_id: org.id,
        name: 'Local runner',
        kind: 'local',
        token_hash: tokenHash,
        phase: 'created',
        version: null,
        region: null,
        public_url: null,
        public_key_jwk: null,
        last_seen_at: null,
        created_at: now,
        created_by: null,
      })
      .execute();
    log.info('seeded Local runner');
  } else if (local.token_hash !== tokenHash) {
    await db.updateTable('runners').set({ token_hash: tokenHash }).where('id', '=', local.id).execute();
  }
}
