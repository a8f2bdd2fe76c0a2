import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunnerKeyPair } from '@runner-console/envelope';
import type { TestBff } from './test-bff.ts';
import { startSignedInBff } from './signed-in-bff.ts';
import type { TestApiClient } from './api-client.ts';
import { connectFakeRunner } from './fake-runner.ts';
import { eventually } from './wait-for.ts';

/**
 * A runner's key is pinned at its first hello (issue 21): another key with the same token is
 * refused and kept as pending; only Rotate key or an admin's acceptance changes the key, and every
 * change is in the audit log. (The attacks themselves are in runner-key-pinning.security.ts.)
 */
let t: TestBff;
let admin: TestApiClient;
let dev: TestApiClient;
beforeAll(async () => {
  ({ bff: t, admin, dev } = await startSignedInBff());
});
afterAll(() => t.close());

type AuditEntry = { action: string; actor: string | null; details: Record<string, unknown> };
const auditOf = async (id: string) => (await admin.request('GET', `/api/runners/${id}/audit-log`)).body.entries as AuditEntry[];
const runnerOf = (id: string) => admin.request('GET', `/api/runners/${id}`).then((r) => r.body);

const handlers = {
  ping: () => ({ version: 'test' }),
  configure: () => ({ applied: 1 }),
  validateCandidate: () => ({ status: 'valid', message: 'accepted', field: null }),
  rotateKey: async () => ({ publicKey: (await createRunnerKeyPair()).publicJwk }),
};

async function connectedRunner(name = `keys ${Math.random().toString(36).slice(2, 8)}`) {
  const created = await admin.request('POST', '/api/runners', { name });
  expect(created.status).toBe(201);
  const runnerId: string = created.body.runner.id;
  const token: string = created.body.runnerToken;
  const runner = await connectFakeRunner(t.url, token, handlers);
  return { runnerId, token, runner };
}

describe('runner key pinning', () => {
  it('pins the key of the first hello and records it with its key id; the same key reconnects without a new entry', async () => {
    const { runnerId, token, runner } = await connectedRunner();
    expect((await runnerOf(runnerId)).publicKey.kid).toBe(runner.publicJwk.kid);
    runner.close();
    await runner.closed;
    const again = await connectFakeRunner(t.url, token, handlers, { keyPair: runner.keyPair });
    again.close();
    const registered = (await auditOf(runnerId)).filter((e) => e.action === 'runner.key_registered');
    expect(registered).toEqual([expect.objectContaining({ actor: null, details: { kid: runner.publicJwk.kid } })]);
  });

  it('refuses another key with close code 4005, keeps it as pending, records the refusal once per key, and leaves the live link alone', async () => {
    const { runnerId, token, runner } = await connectedRunner();
    const other = await createRunnerKeyPair();
    for (let i = 0; i < 2; i++) {
      await expect(connectFakeRunner(t.url, token, handlers, { keyPair: other })).rejects.toThrow(/refused: close 4005 runner key not accepted/);
    }
    const row = await runnerOf(runnerId);
    expect(row.publicKey.kid).toBe(runner.publicJwk.kid);
    expect(row.pendingKey).toEqual({ kid: other.publicJwk.kid, presentedAt: expect.any(String) });
    expect(row.phase).toBe('active');
    // The pinned runner still answers over its link.
    expect((await admin.request('POST', `/api/runners/${runnerId}/ping`)).status).toBe(200);
    const refused = (await auditOf(runnerId)).filter((e) => e.action === 'runner.key_refused');
    expect(refused).toEqual([expect.objectContaining({ details: { pinnedKid: runner.publicJwk.kid, presentedKid: other.publicJwk.kid } })]);
    // A third key is a new refusal.
    const third = await createRunnerKeyPair();
    await expect(connectFakeRunner(t.url, token, handlers, { keyPair: third })).rejects.toThrow(/4005/);
    expect((await runnerOf(runnerId)).pendingKey.kid).toBe(third.publicJwk.kid);
    expect((await auditOf(runnerId)).filter((e) => e.action === 'runner.key_refused')).toHaveLength(2);
    runner.close();
  });

  it('accepting the pending key pins it, flags secrets sealed to the old key, lets the runner in, and is safe to repeat', async () => {
    const { runnerId, token, runner } = await connectedRunner();
    const added = await admin.request('POST', `/api/runners/${runnerId}/integrations`, {
      provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: true, clientId: 'key', oauthPlaintextClientSecret: 'sealed-to-the-old-key',
    });
    expect(added.status).toBe(201);
    runner.close();
    await runner.closed;
    const reinstalled = await createRunnerKeyPair();
    await expect(connectFakeRunner(t.url, token, handlers, { keyPair: reinstalled })).rejects.toThrow(/4005/);

    expect((await dev.request('POST', `/api/runners/${runnerId}/accept-key`, { kid: reinstalled.publicJwk.kid })).status).toBe(403);
    const stale = await admin.request('POST', `/api/runners/${runnerId}/accept-key`, { kid: (await createRunnerKeyPair()).publicJwk.kid });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/another key than the one you confirmed/);

    const accepted = await admin.request('POST', `/api/runners/${runnerId}/accept-key`, { kid: reinstalled.publicJwk.kid });
    expect(accepted.status).toBe(200);
    expect(accepted.body.publicKey.kid).toBe(reinstalled.publicJwk.kid);
    expect(accepted.body.pendingKey).toBeNull();
    // A second click (or a second admin) on the same key: the same answer, nothing recorded twice.
    const twice = await admin.request('POST', `/api/runners/${runnerId}/accept-key`, { kid: reinstalled.publicJwk.kid });
    expect(twice.status).toBe(200);
    expect(twice.body.publicKey.kid).toBe(reinstalled.publicJwk.kid);
    const audit = await auditOf(runnerId);
    expect(audit.filter((e) => e.action === 'runner.key_accepted')).toEqual([
      expect.objectContaining({ actor: 'admin@acme.test', details: { previousKid: runner.publicJwk.kid, kid: reinstalled.publicJwk.kid } }),
    ]);
    const integration = (await admin.request('GET', `/api/runners/${runnerId}/integrations`)).body.integrations[0];
    expect(integration.validation.status).toBe('needs_new_secret');
    expect(integration.validation.message).toMatch(/accepted a new key/);

    const back = await connectFakeRunner(t.url, token, handlers, { keyPair: reinstalled });
    await eventually(() => runnerOf(runnerId), (r) => r.phase === 'active');
    back.close();
    // Nothing waits any more.
    const none = await admin.request('POST', `/api/runners/${runnerId}/accept-key`, { kid: (await createRunnerKeyPair()).publicJwk.kid });
    expect(none.status).toBe(409);
    expect(none.body.error.message).toMatch(/No new key is waiting/);
  });

  it('Rotate key records the old and the new key id, and the runner reconnects with the rotated key', async () => {
    const { runnerId, token, runner } = await connectedRunner();
    const rotated = await admin.request('POST', `/api/runners/${runnerId}/rotate-key`);
    expect(rotated.status).toBe(200);
    expect((await auditOf(runnerId))[0]).toMatchObject({ action: 'runner.key_rotated', details: { kid: rotated.body.publicKey.kid, previousKid: runner.publicJwk.kid } });
    runner.close();
    await runner.closed;
    // The fake keeps its rotated key, as the real runner keeps it in its data folder.
    (await connectFakeRunner(t.url, token, handlers)).close();
    expect((await runnerOf(runnerId)).pendingKey).toBeNull();
  });

  it('a new token forgets a key presented with the old one, and says so in the audit log', async () => {
    const { runnerId, token, runner } = await connectedRunner();
    const other = await createRunnerKeyPair();
    await expect(connectFakeRunner(t.url, token, handlers, { keyPair: other })).rejects.toThrow(/4005/);
    const replaced = await admin.request('POST', `/api/runners/${runnerId}/token`);
    expect(replaced.status).toBe(200);
    expect(replaced.body.runner.pendingKey).toBeNull();
    expect(replaced.body.runner.publicKey.kid).toBe(runner.publicJwk.kid);
    expect((await auditOf(runnerId))[0]).toMatchObject({ action: 'runner.token_replaced', details: { disconnected: true, droppedPendingKid: other.publicJwk.kid } });
  });

  it('refuses a hello whose public URL is not http(s), naming the field in the close reason', async () => {
    const { runnerId, token, runner } = await connectedRunner();
    runner.close();
    await runner.closed;
    for (const publicUrl of ['javascript:alert(1)', 'data:text/html,hi', 'ftp://runner.acme.internal']) {
      await expect(connectFakeRunner(t.url, token, handlers, { publicUrl, keyPair: runner.keyPair })).rejects.toThrow(
        /refused: close 4002 invalid hello: publicUrl: Use an http:\/\/ or https:\/\/ URL/,
      );
    }
    expect((await runnerOf(runnerId)).publicUrl).toBe('http://127.0.0.1:1');
  });
});
