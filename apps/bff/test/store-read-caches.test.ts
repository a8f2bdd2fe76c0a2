import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/store/database.ts';
import { openTestDatabase } from './test-database.ts';
import { createRunnersStore } from '../src/store/runners-store.ts';
import { createScmIntegrationsStore } from '../src/store/scm-integrations-store.ts';
import type { ScmIntegrationsTable } from '../src/store/schema.ts';

// check-authentication asks two questions of the store on every call; both are answered from
// memory after the first time. These prove the answers stay right across writes.

let close: () => Promise<void>;
let db: Db;
const now = new Date().toISOString();

beforeAll(async () => {
  ({ db, close } = await openTestDatabase());
  await db.insertInto('orgs').values([
    { id: 'org-a', name: 'A', created_at: now },
    { id: 'org-b', name: 'B', created_at: now },
  ]).execute();
  await db.insertInto('runners').values({
    id: 'runner-a', org_id: 'org-a', name: 'Runner A', kind: 'self-hosted', token_hash: null, phase: 'active', version: null,
    region: null, public_url: null, public_key_jwk: null, last_seen_at: null, created_at: now, created_by: null,
  }).execute();
});
afterAll(async () => {
  await close();
});

/** The database, counting the statements sent through it: tells a cached answer from a query. */
function countingDb(): { db: Db; queries: () => number; reset: () => void } {
  let count = 0;
  const counting = db.withPlugin({
    transformQuery: (args) => {
      count++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  return { db: counting, queries: () => count, reset: () => (count = 0) };
}

describe('runners store: isInOrg', () => {
  it("answers for the runner's own org only, and remembers a yes", async () => {
    const store = createRunnersStore(db);
    expect(await store.isInOrg('org-a', 'runner-a')).toBe(true);
    expect(await store.isInOrg('org-b', 'runner-a')).toBe(false);
    expect(await store.isInOrg('org-a', 'no-such-runner')).toBe(false);

    const counting = countingDb();
    const counted = createRunnersStore(counting.db);
    expect(await counted.isInOrg('org-a', 'runner-a')).toBe(true);
    expect(await counted.isInOrg('org-a', 'runner-a')).toBe(true);
    expect(counting.queries()).toBe(1);
    // Another org asking about a remembered runner is still told no.
    expect(await counted.isInOrg('org-b', 'runner-a')).toBe(false);
  });
});

describe('runners store: findInOrg', () => {
  it('reads a runner once, and again after any write to it', async () => {
    const counting = countingDb();
    const store = createRunnersStore(counting.db);
    expect((await store.findInOrg('org-a', 'runner-a'))?.phase).toBe('active');
    counting.reset();
    expect((await store.findInOrg('org-a', 'runner-a'))?.name).toBe('Runner A');
    expect(await store.findInOrg('org-b', 'runner-a')).toBeUndefined();
    expect(counting.queries()).toBe(0);

    await store.setPhase('runner-a', 'degraded');
    expect((await store.findInOrg('org-a', 'runner-a'))?.phase).toBe('degraded');
    await store.touch('runner-a', '2026-11-27T12:00:00.000Z');
    expect((await store.findInOrg('org-a', 'runner-a'))?.last_seen_at).toBe('2026-11-27T12:00:00.000Z');
    await store.markAllDisconnected();
    expect((await store.findInOrg('org-a', 'runner-a'))?.phase).toBe('inactive');
    await store.setPhase('runner-a', 'active');
    expect(await store.findInOrg('org-a', 'no-such-runner')).toBeUndefined();
  });

  it('does not keep a row read while a write to it was under way', async () => {
    const store = createRunnersStore(db);
    const read = store.findInOrg('org-a', 'runner-a');
    const written = store.setPhase('runner-a', 'degraded');
    await Promise.all([read, written]);
    expect((await store.findInOrg('org-a', 'runner-a'))?.phase).toBe('degraded');
    await store.setPhase('runner-a', 'active');
  });
});

describe('scm integrations store: hasOAuthIntegration', () => {
  const row: ScmIntegrationsTable = {
    id: 'int-1', org_id: 'org-a', runner_id: 'runner-a', provider: 'bitbucket', host: 'bitbucket.org', oauth_enabled: 1, pat_enabled: 0,
    client_id: 'key', secret_envelope: null, secret_kid: null, issuer_url: null, virtual_directory: null, validation_status: 'not_validated', validation_message: null,
    validated_at: null, callback_url: null, created_at: now, updated_at: now, updated_by: null,
  };

  it('follows every insert, update and removal, and reads the database once between writes', async () => {
    const counting = countingDb();
    const store = createScmIntegrationsStore(counting.db);
    expect(await store.hasOAuthIntegration('runner-a', 'bitbucket.org')).toBe(false);

    await store.insert(row);
    expect(await store.hasOAuthIntegration('runner-a', 'bitbucket.org')).toBe(true);
    expect(await store.hasOAuthIntegration('runner-a', 'gitlab.com')).toBe(false);

    counting.reset();
    expect(await store.hasOAuthIntegration('runner-a', 'bitbucket.org')).toBe(true);
    expect(await store.hasOAuthIntegration('runner-a', 'bitbucket.org')).toBe(true);
    expect(counting.queries()).toBe(0);

    await store.update(row.id, { oauth_enabled: 0 });
    expect(await store.hasOAuthIntegration('runner-a', 'bitbucket.org')).toBe(false);
    await store.update(row.id, { oauth_enabled: 1 });
    expect(await store.hasOAuthIntegration('runner-a', 'bitbucket.org')).toBe(true);

    await store.remove(row.id);
    expect(await store.hasOAuthIntegration('runner-a', 'bitbucket.org')).toBe(false);
  });
});
