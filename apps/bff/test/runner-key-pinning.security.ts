import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunnerKeyPair } from '@runner-console/envelope';
import { startTestBff, type TestBff } from './test-bff.ts';
import { signedIn, type TestApiClient } from './api-client.ts';
import { connectFakeRunner } from './fake-runner.ts';
import { eventually } from './wait-for.ts';
import { check } from '../../../security/support/record-security-row.ts';

/**
 * Part of `npm run test:security` (item 10, stolen runner token; issue 21 finding A and D). A runner
 * token alone must not re-key the runner: a hello with another key is refused, the key stays pinned,
 * the presented key waits for an admin, the refusal is audited with both key ids, and no secret is
 * ever sent to the impostor. Only an admin's explicit acceptance (or Rotate key) changes the key.
 */
let t: TestBff;
let admin: TestApiClient;
let dev: TestApiClient;
beforeAll(async () => {
  t = await startTestBff();
  admin = await signedIn(t.url, 'admin');
  dev = await signedIn(t.url, 'dev');
});
afterAll(() => t.close());

type AuditEntry = { action: string; actor: string | null; details: Record<string, unknown> };
const auditOf = async (id: string) => (await admin.request('GET', `/api/runners/${id}/audit-log`)).body.entries as AuditEntry[];
const runnerOf = (id: string) => admin.request('GET', `/api/runners/${id}`).then((r) => r.body);
const integrationBody = (secret: string) => ({ provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: true, clientId: 'consumer-key', oauthPlaintextClientSecret: secret });

/** A runner set up and connected with its genuine key; `asked` lists what the BFF sent it. */
async function genuineRunner(name: string) {
  const created = await admin.request('POST', '/api/runners', { name, publicUrl: 'http://localhost:4999' });
  expect(created.status).toBe(201);
  const asked: string[] = [];
  const runner = await connectFakeRunner(t.url, created.body.runnerToken, {
    ping: () => (asked.push('ping'), { version: 'genuine' }),
    configure: () => (asked.push('configure'), {}),
    validateCandidate: () => (asked.push('validateCandidate'), { status: 'valid', message: 'ok', field: null }),
  });
  return { runnerId: created.body.runner.id as string, token: created.body.runnerToken as string, runner, asked };
}

/** An impostor: the stolen token and a fresh key pair of its own; `asked` lists what reached it. */
async function impostorHello(token: string) {
  const keyPair = await createRunnerKeyPair();
  const asked: string[] = [];
  const record = (method: string) => (params: unknown) => (asked.push(method), method === 'validateCandidate' ? { status: 'valid', message: 'ok', field: null, params } : {});
  const attempt = connectFakeRunner(t.url, token, { validateCandidate: record('validateCandidate'), configure: record('configure'), ping: record('ping') }, { keyPair });
  return { keyPair, asked, attempt: attempt.then((c) => (c.close(), 'connected'), (err: Error) => err.message) };
}

describe('a stolen runner token does not re-key the runner', () => {
  it('an impostor hello with a new key is refused; the key stays pinned, the new one waits, the refusal is audited, and no secret reaches it', () =>
    check('trust', 'impostor hello with a new key (stolen token)', async () => {
      const genuine = await genuineRunner('Pinned key target');
      const pinnedKid = genuine.runner.publicJwk.kid;
      const impostor = await impostorHello(genuine.token);
      expect(await impostor.attempt).toMatch(/^refused: close 4005 runner key not accepted/);

      const row = await runnerOf(genuine.runnerId);
      expect(row.publicKey.kid).toBe(pinnedKid);
      expect(row.pendingKey?.kid).toBe(impostor.keyPair.publicJwk.kid);
      const audit = await auditOf(genuine.runnerId);
      expect(audit).toContainEqual(expect.objectContaining({ action: 'runner.key_refused', details: { pinnedKid, presentedKid: impostor.keyPair.publicJwk.kid } }));
      expect(audit.map((e) => e.action)).not.toContain('runner.key_accepted');

      // The genuine link was not displaced, and the admin's next integration is checked by it alone.
      const saved = await admin.request('POST', `/api/runners/${genuine.runnerId}/integrations`, integrationBody('real-secret-after-attack'));
      expect(saved.status).toBe(201);
      expect(genuine.asked).toContain('validateCandidate');
      expect(impostor.asked).toEqual([]);
      expect(saved.body.secretKeyId).toBe(pinnedKid);
      genuine.runner.close();
    }));

  it('with the genuine runner offline, the impostor is still refused and a saved integration never reaches it', () =>
    check('trust', 'impostor hello while the runner is offline', async () => {
      const genuine = await genuineRunner('Offline pinned target');
      genuine.runner.close();
      await genuine.runner.closed;
      await eventually(() => runnerOf(genuine.runnerId), (r) => r.phase === 'inactive');
      const impostor = await impostorHello(genuine.token);
      expect(await impostor.attempt).toMatch(/^refused: close 4005/);
      const saved = await admin.request('POST', `/api/runners/${genuine.runnerId}/integrations`, integrationBody('real-secret-while-offline'));
      expect(saved.status).toBe(502);
      expect(saved.body.error.code).toBe('runner_offline');
      expect(impostor.asked).toEqual([]);
      expect((await runnerOf(genuine.runnerId)).publicKey.kid).toBe(genuine.runner.publicJwk.kid);
    }));

  it('an admin who confirms both key ids accepts the new key; it is audited and the runner connects with it', () =>
    check('trust', 'admin accepts a presented key (audited)', async () => {
      const genuine = await genuineRunner('Reinstalled runner');
      const oldKid = genuine.runner.publicJwk.kid;
      genuine.runner.close();
      await genuine.runner.closed;
      const reinstalled = await impostorHello(genuine.token);
      expect(await reinstalled.attempt).toMatch(/4005/);
      const newKid = reinstalled.keyPair.publicJwk.kid;
      const accepted = await admin.request('POST', `/api/runners/${genuine.runnerId}/accept-key`, { kid: newKid });
      expect(accepted.status).toBe(200);
      expect(accepted.body.publicKey.kid).toBe(newKid);
      expect(accepted.body.pendingKey).toBeNull();
      expect(await auditOf(genuine.runnerId)).toContainEqual(
        expect.objectContaining({ action: 'runner.key_accepted', actor: 'admin@acme.test', details: { previousKid: oldKid, kid: newKid } }),
      );
      const back = await connectFakeRunner(t.url, genuine.token, { ping: () => ({ version: 'reinstalled' }) }, { keyPair: reinstalled.keyPair });
      expect((await admin.request('POST', `/api/runners/${genuine.runnerId}/ping`)).body.runnerVersion).toBe('reinstalled');
      back.close();
    }));

  it('a member cannot accept a runner key', () =>
    check('trust', 'member cannot accept a runner key', async () => {
      const genuine = await genuineRunner('Member accept target');
      const impostor = await impostorHello(genuine.token);
      expect(await impostor.attempt).toMatch(/4005/);
      const res = await dev.request('POST', `/api/runners/${genuine.runnerId}/accept-key`, { kid: impostor.keyPair.publicJwk.kid });
      expect(res.status).toBe(403);
      const row = await runnerOf(genuine.runnerId);
      expect(row.publicKey.kid).toBe(genuine.runner.publicJwk.kid);
      expect((await auditOf(genuine.runnerId)).map((e) => e.action)).not.toContain('runner.key_accepted');
      genuine.runner.close();
    }));

  it('a javascript: public URL is refused on the runner link and in the API', () =>
    check('trust', 'javascript: runner public URL refused', async () => {
      const genuine = await genuineRunner('Public URL target');
      genuine.runner.close();
      await genuine.runner.closed;
      const hello = connectFakeRunner(t.url, genuine.token, {}, { publicUrl: 'javascript:alert(document.domain)', keyPair: genuine.runner.keyPair });
      await expect(hello).rejects.toThrow(/refused: close 4002 invalid hello: publicUrl/);
      const row = await runnerOf(genuine.runnerId);
      expect(row.publicUrl).not.toMatch(/^javascript:/);
      for (const [method, path, body] of [
        ['POST', '/api/runners', { name: 'Scripted URL', publicUrl: 'javascript:alert(1)' }],
        ['PATCH', `/api/runners/${genuine.runnerId}`, { publicUrl: 'javascript:alert(1)' }],
      ] as const) {
        const res = await admin.request(method, path, body);
        expect(res.status).toBe(400);
        expect(res.body.error.fields.publicUrl).toMatch(/http:\/\/ or https:\/\//);
      }
    }));
});
