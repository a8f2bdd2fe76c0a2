import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBff, type TestBff } from './test-bff.ts';

let t: TestBff;
beforeAll(async () => {
  t = await startTestBff();
});
afterAll(() => t.close());

async function planOf(query: { compile(): { sql: string; parameters: readonly unknown[] } }): Promise<string> {
  const compiled = query.compile();
  const result = await t.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]));
  return result.rows.map((r) => r.detail).join('\n');
}

// The queries that run on every call of a hot endpoint must be index range scans, not table walks.
describe('query plans of hot paths', () => {
  it("check-authentication's admin contacts use the (org_id, role, email) index", async () => {
    const query = t.db.selectFrom('users').select('email').where('org_id', '=', 'o').where('role', '=', 'admin').orderBy('email');
    const plan = await planOf(query);
    expect(plan).toContain('users_org_role_email');
    expect(plan).not.toMatch(/SCAN users\b(?! USING)/);
    expect(plan).not.toContain('TEMP B-TREE');
  });

  it('a page of integrations is a range of the (org_id, runner_id, created_at, id) index', async () => {
    const query = t.db.selectFrom('scm_integrations').select('id').where('org_id', '=', 'o').where('runner_id', '=', 'r').orderBy('created_at').orderBy('id').limit(51);
    const plan = await planOf(query);
    expect(plan).toContain('scm_integrations_page');
    expect(plan).not.toContain('TEMP B-TREE');
  });
});
