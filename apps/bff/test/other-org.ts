import { randomUUID } from 'node:crypto';
import type { Db } from '../src/store/database.ts';
import { hashPassword } from '../src/services/password-hashing.ts';

/** A second organization with its own admin, to prove that one org cannot see another's data. */
export async function createOtherOrgAdmin(db: Db, email = `admin-${randomUUID().slice(0, 8)}@globex.test`) {
  const orgId = randomUUID();
  await db.insertInto('orgs').values({ id: orgId, name: 'Globex', created_at: new Date().toISOString() }).execute();
  await db
    .insertInto('users')
    .values({ id: randomUUID(), org_id: orgId, email, name: 'Globex Admin', role: 'admin', password_hash: await hashPassword('globex'), created_at: new Date().toISOString() })
    .execute();
  return { orgId, email, password: 'globex' };
}
