import type { Db } from './database.ts';
import type { SsoAttemptsTable, SsoSettingsTable } from './schema.ts';

/** The data layer of single sign-on (migration 0014). */
export function createSsoStore(db: Db) {
  return {
    async settings(orgId: string): Promise<SsoSettingsTable | undefined> {
      return db.selectFrom('sso_settings').selectAll().where('org_id', '=', orgId).executeTakeFirst();
    },
    async upsert(row: SsoSettingsTable): Promise<void> {
      const { org_id: _orgId, ...changes } = row;
      await db.insertInto('sso_settings').values(row).onConflict((oc) => oc.column('org_id').doUpdateSet(changes)).execute();
    },
    /** Whether a row was there to delete. */
    async remove(orgId: string): Promise<boolean> {
      const result = await db.deleteFrom('sso_settings').where('org_id', '=', orgId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async listConfigured() {
      return db
        .selectFrom('sso_settings')
        .innerJoin('orgs', 'orgs.id', 'sso_settings.org_id')
        .select(['sso_settings.org_id', 'sso_settings.display_name', 'orgs.name as org_name'])
        .orderBy('orgs.name')
        .limit(50)
        .execute();
    },
    async insertAttempt(row: SsoAttemptsTable): Promise<void> {
      await db.insertInto('sso_attempts').values(row).execute();
    },
    /** Takes the attempt out: a second callback with the same cookie finds nothing (single use). */
    async takeAttempt(idHash: string): Promise<SsoAttemptsTable | undefined> {
      return db.deleteFrom('sso_attempts').where('id_hash', '=', idHash).returningAll().executeTakeFirst();
    },
    async deleteExpiredAttempts(now: string): Promise<void> {
      await db.deleteFrom('sso_attempts').where('expires_at', '<', now).execute();
    },
    async orgName(orgId: string): Promise<string | undefined> {
      return (await db.selectFrom('orgs').select('name').where('id', '=', orgId).executeTakeFirst())?.name;
    },
  };
}
export type SsoStore = ReturnType<typeof createSsoStore>;
