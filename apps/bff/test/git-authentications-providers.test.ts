import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ScmProviderId } from '@runner-console/scm-providers';
import type { TestBff } from './test-bff.ts';
import { startSignedInBff } from './signed-in-bff.ts';
import type { TestApiClient } from './api-client.ts';
import { connectFakeRunner } from './fake-runner.ts';

// Settings › Git authentications names each connection's provider from its integration (a
// self-managed host alone does not say which product it is) and links that provider's own page for
// removing the app's access on that host, never another provider's.

let t: TestBff;
let admin: TestApiClient;
let dev: TestApiClient;
beforeAll(async () => {
  ({ bff: t, admin, dev } = await startSignedInBff());
});
afterAll(() => t.close());

it("names a self-managed connection's provider and links the page on its own host; a runner's own values are dropped", async () => {
  const created = await admin.request('POST', '/api/runners', { name: 'providers of connections' });
  const runnerId = created.body.runner.id as string;
  const orgId = (await t.db.selectFrom('runners').select('org_id').where('id', '=', runnerId).executeTakeFirstOrThrow()).org_id;
  const now = new Date().toISOString();
  const integration = async (provider: ScmProviderId, host: string) => {
    const id = randomUUID();
    await t.db
      .insertInto('scm_integrations')
      .values({ id, org_id: orgId, runner_id: runnerId, provider, host, oauth_enabled: 1, pat_enabled: 0, client_id: 'c', secret_envelope: null, secret_kid: null, issuer_url: null, virtual_directory: null, validation_status: 'valid', validation_message: null, validated_at: null, callback_url: null, created_at: now, updated_at: now, updated_by: null })
      .execute();
    return id;
  };
  const dataCenter = await integration('bitbucket-data-center', 'bitbucket.acme.test');
  const enterprise = await integration('github', 'ghe.acme.test');
  const token = (id: string, integrationId: string, host: string) => ({
    id,
    host,
    integrationId,
    method: 'oauth',
    accountName: 'Alice',
    accountUsername: 'alice',
    email: null,
    scopes: [],
    expiresAt: null,
    needsReauthorization: false,
    reauthorizeReason: null,
    connectedAt: now,
    // A runner cannot choose where the dashboard sends the developer.
    provider: 'gitlab',
    appAuthorizationsUrl: 'https://evil.example/phish',
  });
  const runner = await connectFakeRunner(t.url, created.body.runnerToken, {
    listTokens: () => ({ tokens: [token('tok-dc', dataCenter, 'bitbucket.acme.test'), token('tok-ghe', enterprise, 'ghe.acme.test')] }),
  });
  try {
    const res = await dev.request('GET', '/api/git-authentications');
    expect(res.status).toBe(200);
    const byId = new Map(res.body.authentications.map((a: { id: string }) => [a.id, a]));
    expect(byId.get('tok-dc')).toMatchObject({ provider: 'bitbucket-data-center', appAuthorizationsUrl: null });
    expect(byId.get('tok-ghe')).toMatchObject({ provider: 'github', appAuthorizationsUrl: 'https://ghe.acme.test/settings/applications' });
    expect(res.text).not.toContain('evil.example');
  } finally {
    runner.close();
  }
});
