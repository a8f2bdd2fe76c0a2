import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunnerKeyPair, sealClientSecret } from '@runner-console/envelope';
import type { TestBff } from './test-bff.ts';
import { startSignedInBff } from './signed-in-bff.ts';
import { TestApiClient } from './api-client.ts';
import { connectFakeRunner } from './fake-runner.ts';
import { createOtherOrgAdmin } from './other-org.ts';

let t: TestBff;
let admin: TestApiClient;
let dev: TestApiClient;
beforeAll(async () => {
  ({ bff: t, admin, dev } = await startSignedInBff());
});
afterAll(() => t.close());

type Calls = { method: string; params: any }[];

/** A fresh runner for each test, so tests do not depend on each other. */
async function newRunner(validateStatus = 'valid') {
  // What the runner answers when asked to check a Key and Secret before they are saved.
  const candidate = { status: 'valid' };
  const created = await admin.request('POST', '/api/runners', { name: `runner ${Math.random()}` });
  const calls: Calls = [];
  const record = (method: string, result: (p: any) => unknown) => (params: any) => {
    calls.push({ method, params });
    return result(params);
  };
  const runner = await connectFakeRunner(t.url, created.body.runnerToken, {
    ping: record('ping', () => ({ version: 'test' })),
    configure: record('configure', () => ({ applied: 1 })),
    validateIntegration: record('validateIntegration', () => ({ status: validateStatus, message: 'checked', field: validateStatus === 'invalid_credentials' ? 'clientSecret' : null })),
    validateCandidate: record('validateCandidate', () => ({
      status: candidate.status,
      message: candidate.status === 'valid' ? 'accepted' : 'Bitbucket refused this Key and Secret.',
      field: candidate.status === 'invalid_credentials' ? 'clientSecret' : null,
    })),
    deleteTokensForIntegration: record('deleteTokensForIntegration', () => ({ deleted: 1 })),
    rotateKey: record('rotateKey', async () => ({ publicKey: (await createRunnerKeyPair()).publicJwk })),
  });
  const runnerId: string = created.body.runner.id;
  return { runnerId, runner, calls, candidate, publicJwk: runner.publicJwk };
}

function readAllFiles(dir: string): string {
  let all = '';
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    all += entry.isDirectory() ? readAllFiles(p) : fs.readFileSync(p).toString('latin1');
  }
  return all;
}

const base = { provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: true, clientId: 'consumer-key-1' };

describe('SCM integrations', () => {
  it('serves the configuration schema with the callback URL, scopes and current key', async () => {
    const { runnerId, publicJwk, runner } = await newRunner();
    const res = await admin.request('GET', `/api/runners/${runnerId}/configuration-schema`);
    expect(res.status).toBe(200);
    expect(res.body.publicKey.kid).toBe(publicJwk.kid);
    const bitbucket = res.body.providers.find((p: any) => p.id === 'bitbucket');
    expect(bitbucket.supported).toBe(true);
    expect(bitbucket.callbackUrl).toBe('http://127.0.0.1:1/oauth/callback');
    expect(bitbucket.requiredScopes.map((s: any) => s.scope)).toEqual(['account', 'repository', 'repository:write', 'pullrequest', 'issue']);
    expect(res.body.providers.filter((p: any) => !p.supported).map((p: any) => p.id).sort()).toEqual([]);
    const azure = res.body.providers.find((p: any) => p.id === 'azure-devops');
    expect(azure).toMatchObject({ tenant: { label: 'Directory (tenant) ID' }, selfManaged: { oauth: false, virtualDirectory: { label: 'Collection path' } } });
    expect(azure.clientKinds[0].permissions).toEqual([expect.objectContaining({ name: 'Azure DevOps › vso.code_write', access: 'Delegated' })]);
    const github = res.body.providers.find((p: any) => p.id === 'github');
    expect(github).toMatchObject({ supported: true, hostEditable: true, callbackUrl: 'http://127.0.0.1:1/oauth/callback' });
    expect(github.clientKinds.map((kind: any) => kind.label)).toEqual(['OAuth App', 'GitHub App']);
    expect(github.clientKinds[1].permissions.map((permission: any) => `${permission.name}: ${permission.access}`)).toEqual([
      'Repository › Contents: Read and write',
      'Repository › Pull requests: Read-only',
      'Repository › Metadata: Read-only',
      'Account › Email addresses: Read-only',
    ]);
    runner.close();
  });

  it('keeps a tenant’s issuer URL (a bare tenant id becomes one) and a server’s collection path, and pushes both to the runner', async () => {
    const { runnerId, calls, runner } = await newRunner();
    const cloud = await admin.request('POST', `/api/runners/${runnerId}/integrations`, {
      provider: 'azure-devops',
      host: 'dev.azure.com',
      oauthEnabled: true,
      clientId: '00000000-0000-4000-8000-000000000001',
      oauthPlaintextClientSecret: 'entra-secret',
      issuerUrl: 'https://login.microsoftonline.com/acme/v2.0',
    });
    expect(cloud.status).toBe(201);
    expect(cloud.body).toMatchObject({ issuerUrl: 'https://login.microsoftonline.com/acme/v2.0', virtualDirectory: null });
    const noTenant = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { provider: 'azure-devops', host: 'dev.azure.com', oauthEnabled: true, clientId: 'x', oauthPlaintextClientSecret: 's' });
    expect(noTenant.status).toBe(400);
    // Azure DevOps Server: tokens only, under a collection.
    const serverOAuth = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { provider: 'azure-devops', host: 'tfs.acme.test', oauthEnabled: true, clientId: 'x', oauthPlaintextClientSecret: 's', issuerUrl: 'https://login.microsoftonline.com/acme/v2.0', virtualDirectory: 'DefaultCollection' });
    expect(serverOAuth).toMatchObject({ status: 400, body: { error: { fields: { oauthEnabled: expect.stringMatching(/no OAuth/) } } } });
    const noCollection = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { provider: 'azure-devops', host: 'tfs.acme.test', oauthEnabled: false, patEnabled: true });
    expect(noCollection).toMatchObject({ status: 400, body: { error: { fields: { virtualDirectory: expect.any(String) } } } });
    const server = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { provider: 'azure-devops', host: 'tfs.acme.test', oauthEnabled: false, patEnabled: true, virtualDirectory: 'tfs/DefaultCollection' });
    expect(server.status).toBe(201);
    const pushed = calls.findLast((c) => c.method === 'configure')?.params.integrations;
    expect(pushed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ host: 'dev.azure.com', issuerUrl: 'https://login.microsoftonline.com/acme/v2.0', virtualDirectory: null }),
        expect.objectContaining({ host: 'tfs.acme.test', issuerUrl: null, virtualDirectory: 'tfs/DefaultCollection' }),
      ]),
    );
    runner.close();
  });

  it('stores a browser-sealed secret as ciphertext only and pushes it to the runner', async () => {
    const { runnerId, publicJwk, calls, runner } = await newRunner();
    const secret = `canary-${Math.random()}`;
    const envelope = await sealClientSecret({ secret, publicJwk, runnerId, host: 'bitbucket.org' });
    const res = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { ...base, oauthClientSecretEnvelope: envelope });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ host: 'bitbucket.org', oauthEnabled: true, clientId: 'consumer-key-1', hasClientSecret: true });
    expect(JSON.stringify(res.body)).not.toContain(envelope);
    const configure = calls.findLast((c) => c.method === 'configure');
    expect(configure?.params.integrations[0].clientSecretEnvelope).toBe(envelope);
    // The list reads a flag, not the envelope: it says a secret is set and never carries it.
    const list = await admin.request('GET', `/api/runners/${runnerId}/integrations`);
    expect(list.body.integrations).toMatchObject([{ id: res.body.id, hasClientSecret: true, secretNeedsReentry: false }]);
    expect(list.text).not.toContain(envelope);
    runner.close();
  });

  it('seals a plaintext secret from an API client at once: never in the database, WAL, logs or responses', async () => {
    const { runnerId, runner } = await newRunner();
    const secret = `plaintext-canary-${Math.random().toString(36).slice(2)}`;
    const res = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { ...base, oauthPlaintextClientSecret: secret });
    expect(res.status).toBe(201);
    const list = await admin.request('GET', `/api/runners/${runnerId}/integrations`);
    const audit = await admin.request('GET', `/api/runners/${runnerId}/audit-log`);
    for (const text of [res.text, list.text, audit.text, t.logLines.join('\n'), readAllFiles(t.dataDir)]) {
      expect(text).not.toContain(secret);
    }
    const row = await t.db.selectFrom('scm_integrations').selectAll().where('runner_id', '=', runnerId).executeTakeFirstOrThrow();
    expect(row.secret_envelope?.split('.')).toHaveLength(5);
    runner.close();
  });

  it('the list shows every create, edit, validation and delete at once (its read cache never serves a stale page)', async () => {
    const { runnerId, runner } = await newRunner('invalid_credentials');
    const list = async () => (await admin.request('GET', `/api/runners/${runnerId}/integrations`)).body.integrations;
    expect(await list()).toEqual([]);
    const created = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { ...base, oauthPlaintextClientSecret: 'first-secret' });
    expect((await list()).map((i: any) => i.id)).toEqual([created.body.id]);
    await admin.request('PATCH', `/api/runners/${runnerId}/integrations/${created.body.id}`, { clientId: 'consumer-key-9' });
    expect((await list())[0].clientId).toBe('consumer-key-9');
    const validated = await admin.request('POST', `/api/runners/${runnerId}/integrations/${created.body.id}/validate`);
    expect(validated.status).toBe(200);
    expect((await list())[0].validation.status).toBe('invalid_credentials');
    // Members see the same rows without the admin-only fields, from their own cache entry.
    expect((await dev.request('GET', `/api/runners/${runnerId}/integrations`)).body.integrations[0]).not.toHaveProperty('clientId');
    await admin.request('DELETE', `/api/runners/${runnerId}/integrations/${created.body.id}`);
    expect(await list()).toEqual([]);
    runner.close();
  });

  it('refuses a ciphertext sealed for another runner or host', async () => {
    const a = await newRunner();
    const b = await newRunner();
    const forA = await sealClientSecret({ secret: 's3cret', publicJwk: a.publicJwk, runnerId: a.runnerId, host: 'bitbucket.org' });
    const moved = await admin.request('POST', `/api/runners/${b.runnerId}/integrations`, { ...base, oauthClientSecretEnvelope: forA });
    expect(moved.status).toBe(400);
    expect(moved.body.error.fields.clientSecret).toBeTruthy();
    const otherHost = await sealClientSecret({ secret: 's3cret', publicJwk: a.publicJwk, runnerId: a.runnerId, host: 'gitlab.com' });
    const res = await admin.request('POST', `/api/runners/${a.runnerId}/integrations`, { ...base, oauthClientSecretEnvelope: otherHost });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.clientSecret).toMatch(/another host/);
    a.runner.close();
    b.runner.close();
  });

  it('refuses a duplicate host with a message naming the existing integration', async () => {
    const { runnerId, runner } = await newRunner();
    await admin.request('POST', `/api/runners/${runnerId}/integrations`, { ...base, oauthPlaintextClientSecret: 'x' });
    const dup = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { ...base, oauthPlaintextClientSecret: 'y' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toMatch(/already has a Bitbucket integration for bitbucket.org, last changed by admin@acme.test/);
    runner.close();
  });

  it('gives clear field errors for OAuth off, missing fields and self-hosted Bitbucket', async () => {
    const { runnerId, runner } = await newRunner();
    const off = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: false });
    expect(off.status).toBe(400);
    expect(off.body.error.fields.oauthEnabled).toMatch(/personal access tokens/);
    const missing = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: true });
    expect(missing.body.error.fields).toMatchObject({ clientId: expect.stringMatching(/Key/), clientSecret: expect.stringMatching(/Secret/) });
    const selfHosted = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { ...base, host: 'https://bitbucket.example.com', oauthPlaintextClientSecret: 'x' });
    expect(selfHosted.body.error.fields.host).toMatch(/For a self-hosted Bitbucket \(Data Center\), choose Bitbucket Data Center in the provider list/);
    const unknown = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { ...base, oauthPlaintextClientSecret: 'x', extra: 1 });
    expect(unknown.status).toBe(400);
    runner.close();
  });

  it('says a runner without a key cannot take secrets yet', async () => {
    const created = await admin.request('POST', '/api/runners', { name: `keyless ${Math.random()}` });
    const res = await admin.request('POST', `/api/runners/${created.body.runner.id}/integrations`, { ...base, oauthPlaintextClientSecret: 'x' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('runner_no_key');
    expect(res.body.error.message).toMatch(/Start the runner/);
  });

  it('validates through the runner and records the status; offline runners say so', async () => {
    const { runnerId, runner, calls } = await newRunner('invalid_credentials');
    const created = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { ...base, oauthPlaintextClientSecret: 'wrong' });
    const res = await admin.request('POST', `/api/runners/${runnerId}/integrations/${created.body.id}/validate`);
    expect(res.status).toBe(200);
    expect(res.body.validation.status).toBe('invalid_credentials');
    expect(res.body.fieldErrors.clientSecret).toBe('checked');
    expect(calls.some((c) => c.method === 'validateIntegration' && c.params.integrationId === created.body.id)).toBe(true);
    runner.close();
    await new Promise((r) => setTimeout(r, 100));
    const offline = await admin.request('POST', `/api/runners/${runnerId}/integrations/${created.body.id}/validate`);
    expect(offline.body.validation.status).toBe('runner_offline');
    const list = await admin.request('GET', `/api/runners/${runnerId}/integrations`);
    expect(list.body.integrations[0].validation.status).toBe('runner_offline');
  });

  it('checks a new Key and Secret on the runner before saving: a wrong one is refused on its field and the working one stays', async () => {
    const { runnerId, runner, calls, candidate, publicJwk } = await newRunner();
    const created = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { ...base, oauthPlaintextClientSecret: 'good-secret' });
    expect(created.status).toBe(201);
    // Checked before the answer: the integration is saved as valid, with no later "Validating…".
    expect(created.body.validation).toMatchObject({ status: 'valid', message: 'accepted' });
    const check = calls.find((c) => c.method === 'validateCandidate');
    expect(check?.params.integration).toMatchObject({ id: created.body.id, host: 'bitbucket.org', clientId: 'consumer-key-1' });
    const saved = await t.db.selectFrom('scm_integrations').selectAll().where('id', '=', created.body.id).executeTakeFirstOrThrow();

    candidate.status = 'invalid_credentials';
    const typo = await sealClientSecret({ secret: 'good-secre', publicJwk, runnerId, host: 'bitbucket.org' });
    const refused = await admin.request('PATCH', `/api/runners/${runnerId}/integrations/${created.body.id}`, { oauthClientSecretEnvelope: typo });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields.clientSecret).toMatch(/refused/);
    expect(refused.body.error.message).toMatch(/current Key and Secret stay in force/);
    const kept = await t.db.selectFrom('scm_integrations').selectAll().where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(kept).toEqual(saved);
    const configured = calls.filter((c) => c.method === 'configure').at(-1);
    expect(configured?.params.integrations[0].clientSecretEnvelope).toBe(saved.secret_envelope);

    const wrongNew = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { ...base, host: 'bitbucket.org', oauthPlaintextClientSecret: 'x' });
    expect(wrongNew.status).toBe(409); // the duplicate check comes first
    const other = await newRunner();
    other.candidate.status = 'invalid_credentials';
    const wrongCreate = await admin.request('POST', `/api/runners/${other.runnerId}/integrations`, { ...base, oauthPlaintextClientSecret: 'wrong' });
    expect(wrongCreate.status).toBe(400);
    expect(wrongCreate.body.error.message).toMatch(/Nothing was saved/);
    expect((await admin.request('GET', `/api/runners/${other.runnerId}/integrations`)).body.integrations).toEqual([]);
    other.candidate.status = 'provider_unreachable';
    const unreachable = await admin.request('POST', `/api/runners/${other.runnerId}/integrations`, { ...base, oauthPlaintextClientSecret: 'x' });
    expect(unreachable.status).toBe(502);
    expect(unreachable.body.error.code).toBe('provider_unreachable');

    const audit = await admin.request('GET', `/api/runners/${runnerId}/audit-log`);
    expect(audit.body.entries[0]).toMatchObject({ action: 'integration.validation_failed', details: { status: 'invalid_credentials', kept: 'current secret' } });
    expect(audit.text).not.toContain('good-secre');

    runner.close();
    await new Promise((r) => setTimeout(r, 100));
    const offline = await admin.request('PATCH', `/api/runners/${runnerId}/integrations/${created.body.id}`, { clientId: 'consumer-key-3' });
    expect(offline.status).toBe(502);
    expect(offline.body.error).toMatchObject({ code: 'runner_offline', message: expect.stringMatching(/stay in force.*Start the runner/) });
    other.runner.close();
  });

  it('edits: an absent secret stays unchanged; turning OAuth off deletes the runner tokens; every change is audited', async () => {
    const { runnerId, runner, calls } = await newRunner();
    const created = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { ...base, oauthPlaintextClientSecret: 'first-secret' });
    const before = await t.db.selectFrom('scm_integrations').select('secret_envelope').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    const renamed = await admin.request('PATCH', `/api/runners/${runnerId}/integrations/${created.body.id}`, { clientId: 'consumer-key-2' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.clientId).toBe('consumer-key-2');
    const after = await t.db.selectFrom('scm_integrations').select('secret_envelope').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(after.secret_envelope).toBe(before.secret_envelope);
    const unchanged = await admin.request('PATCH', `/api/runners/${runnerId}/integrations/${created.body.id}`, {});
    expect(unchanged.status).toBe(200);
    expect(unchanged.body.updatedAt).toBe(renamed.body.updatedAt);
    // OAuth off needs another way to connect: personal access tokens on.
    const off = await admin.request('PATCH', `/api/runners/${runnerId}/integrations/${created.body.id}`, { oauthEnabled: false, patEnabled: true });
    expect(off.body.oauthEnabled).toBe(false);
    expect(calls.filter((c) => c.method === 'deleteTokensForIntegration' && c.params.kind === 'oauth').length).toBeGreaterThanOrEqual(1);
    // A double click: two deletes at once; one goes ahead (one audit entry), the other finds it gone.
    const both = await Promise.all([1, 2].map(() => admin.request('DELETE', `/api/runners/${runnerId}/integrations/${created.body.id}`)));
    expect(both.map((r) => r.status).sort()).toEqual([204, 404]);
    const audit = await admin.request('GET', `/api/runners/${runnerId}/audit-log`);
    expect(audit.body.entries.map((e: any) => e.action)).toEqual(['integration.deleted', 'integration.updated', 'integration.updated', 'integration.created', 'runner.key_registered', 'runner.created']);
    // The rename was checked by the runner with the secret already stored.
    expect(calls.filter((c) => c.method === 'validateCandidate').map((c) => c.params.integration.clientId)).toEqual(['consumer-key-1', 'consumer-key-2']);
    expect(audit.body.entries[0].actor).toBe('admin@acme.test');
    expect(audit.text).not.toContain('first-secret');
    runner.close();
  });

  it('enforces roles: members see the list without client IDs and cannot change anything', async () => {
    const { runnerId, runner } = await newRunner();
    const created = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { ...base, oauthPlaintextClientSecret: 'x' });
    const list = await dev.request('GET', `/api/runners/${runnerId}/integrations`);
    expect(list.status).toBe(200);
    expect(list.body.integrations[0].clientId).toBeUndefined();
    const id = created.body.id;
    expect((await dev.request('GET', `/api/runners/${runnerId}/configuration-schema`)).status).toBe(403);
    expect((await dev.request('POST', `/api/runners/${runnerId}/integrations`, { ...base, host: 'x', oauthPlaintextClientSecret: 'x' })).status).toBe(403);
    expect((await dev.request('PATCH', `/api/runners/${runnerId}/integrations/${id}`, { oauthEnabled: false })).status).toBe(403);
    expect((await dev.request('POST', `/api/runners/${runnerId}/integrations/${id}/validate`)).status).toBe(403);
    expect((await dev.request('DELETE', `/api/runners/${runnerId}/integrations/${id}`)).status).toBe(403);
    expect((await dev.request('GET', `/api/runners/${runnerId}/audit-log`)).status).toBe(403);
    runner.close();
  });

  it('answers 404 for another org’s runner and integration', async () => {
    const { runnerId, runner } = await newRunner();
    const created = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { ...base, oauthPlaintextClientSecret: 'x' });
    const other = await createOtherOrgAdmin(t.db);
    const globex = new TestApiClient(t.url);
    await globex.signIn(other.email, other.password);
    const id = created.body.id;
    expect((await globex.request('GET', `/api/runners/${runnerId}/integrations`)).status).toBe(404);
    expect((await globex.request('GET', `/api/runners/${runnerId}/configuration-schema`)).status).toBe(404);
    expect((await globex.request('PATCH', `/api/runners/${runnerId}/integrations/${id}`, { oauthEnabled: false })).status).toBe(404);
    expect((await globex.request('POST', `/api/runners/${runnerId}/integrations/${id}/validate`)).status).toBe(404);
    expect((await globex.request('DELETE', `/api/runners/${runnerId}/integrations/${id}`)).status).toBe(404);
    expect((await admin.request('GET', `/api/runners/${runnerId}/integrations`)).body.integrations).toHaveLength(1);
    runner.close();
  });

  it('rotates the runner key: old secrets are flagged for re-entry, stale envelopes refused, new ones accepted', async () => {
    const { runnerId, publicJwk, runner } = await newRunner();
    const sealedOld = await sealClientSecret({ secret: 'before-rotation', publicJwk, runnerId, host: 'bitbucket.org' });
    const created = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { ...base, oauthClientSecretEnvelope: sealedOld });
    expect(created.body.secretNeedsReentry).toBe(false);
    // Read the list first, so the answer after the rotation cannot be an earlier page kept in memory.
    const before = await admin.request('GET', `/api/runners/${runnerId}/integrations`);
    expect(before.body.integrations[0]).toMatchObject({ secretNeedsReentry: false });
    expect((await dev.request('POST', `/api/runners/${runnerId}/rotate-key`)).status).toBe(403);
    const rotated = await admin.request('POST', `/api/runners/${runnerId}/rotate-key`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.publicKey.kid).not.toBe(publicJwk.kid);
    const list = await admin.request('GET', `/api/runners/${runnerId}/integrations`);
    expect(list.body.integrations[0]).toMatchObject({ secretNeedsReentry: true, validation: { status: 'needs_new_secret' } });
    const stale = await admin.request('PATCH', `/api/runners/${runnerId}/integrations/${created.body.id}`, { oauthClientSecretEnvelope: sealedOld });
    expect(stale.status).toBe(400);
    expect(stale.body.error.fields.clientSecret).toMatch(/key changed/);
    const fresh = await sealClientSecret({ secret: 'after-rotation', publicJwk: rotated.body.publicKey, runnerId, host: 'bitbucket.org' });
    const resealed = await admin.request('PATCH', `/api/runners/${runnerId}/integrations/${created.body.id}`, { oauthClientSecretEnvelope: fresh });
    expect(resealed.status).toBe(200);
    expect(resealed.body.secretNeedsReentry).toBe(false);
    const audit = await admin.request('GET', `/api/runners/${runnerId}/audit-log`);
    expect(audit.body.entries.map((e: any) => e.action)).toContain('runner.key_rotated');
    runner.close();
  });
});
