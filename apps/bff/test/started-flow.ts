import { randomUUID } from 'node:crypto';
import type { Db } from '../src/store/database.ts';
import { hashSecretToken } from '../src/services/secret-tokens.ts';

/** A started Connect flow of `email`'s for `runnerId`, as POST /api/connect/start writes it, and its redeem secret. */
export async function insertStartedFlow(db: Db, email: string, runnerId: string) {
  const user = await db.selectFrom('users').select(['id', 'org_id']).where('email', '=', email).executeTakeFirstOrThrow();
  const flowId = randomUUID();
  const redeemSecret = `rcf_${randomUUID()}`;
  const now = Date.now();
  await db
    .insertInto('oauth_flows')
    .values({
      id: flowId,
      org_id: user.org_id,
      user_id: user.id,
      runner_id: runnerId,
      host: 'bitbucket.org',
      redeem_secret_hash: hashSecretToken(redeemSecret),
      mode: 'popup',
      return_to: '/environments/new',
      status: 'started',
      failure_code: null,
      message: null,
      account_name: null,
      created_at: new Date(now).toISOString(),
      expires_at: new Date(now + 10 * 60_000).toISOString(),
      redeemed_at: null,
      completed_at: null,
    })
    .execute();
  return { flowId, redeemSecret };
}
