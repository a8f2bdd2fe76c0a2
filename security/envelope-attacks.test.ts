import { randomUUID } from 'node:crypto';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunnerKeyPair, sealClientSecret } from '@runner-console/envelope';
import { startTestStack, type TestBrowser, type TestStack } from '../test-support/test-stack.ts';
import { createConsumer, emulator, localRunnerId, signedInBrowser } from '../test-support/connect-journey.ts';
import { startExtraRunner } from '../test-support/extra-runner.ts';
import { check } from './support/record-security-row.ts';

/**
 * Item 3: envelopes moved, tampered, stale, truncated or oversized are refused by the runner, and the
 * secret is never sent anywhere. A compromised BFF is simulated by writing its database directly;
 * "validate" then makes the BFF push that configuration to the runner and ask it to use the secret.
 */
let stack: TestStack;
let admin: TestBrowser;
let r1: string;
let r2: Awaited<ReturnType<typeof startExtraRunner>>;
let consumer: { key: string; secret: string };
let i1: string;
let i2: string;
let goodEnvelope: string;

const dbFile = () => path.join(stack.dataDir, 'bff', 'runner-console.sqlite');
function writeRow(id: string, patch: Record<string, string>) {
  const db = new SQLite(dbFile());
  const sets = Object.keys(patch).map((k) => `${k} = @${k}`).join(', ');
  db.prepare(`UPDATE scm_integrations SET ${sets} WHERE id = @id`).run({ ...patch, id });
  db.close();
}

async function publicKeyOf(runnerId: string) {
  return (await admin.api(stack.dashboard, 'GET', `/api/runners/${runnerId}/configuration-schema`)).body.publicKey;
}

/**
 * Token-endpoint calls that presented the real consumer secret: the only calls a refused envelope
 * could cause, since every moved or tampered envelope here holds that secret (or nothing usable).
 * Calls with another secret (r2's own integration validating in the background) do not count.
 */
async function realSecretUses(): Promise<number> {
  const stats = await emulator(stack, 'GET', '/_emulator/stats');
  return (stats.authenticatedTokenCalls as Record<string, number>)[consumer.key] ?? 0;
}

/**
 * Saving an integration starts a validation in the background (scm-integration-service.ts). Wait
 * until it has finished, so its token-endpoint call cannot land inside an attack's count window.
 */
async function settled(runnerId: string, integrationId: string) {
  for (let i = 0; i < 200; i++) {
    const list = await admin.api(stack.dashboard, 'GET', `/api/runners/${runnerId}/integrations`);
    const row = list.body.integrations.find((x: { id: string }) => x.id === integrationId);
    if (row && row.validation.status !== 'pending') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the background validation of ${integrationId} never finished`);
}

/** Validate and show the runner refused: not valid, and the secret never reached Bitbucket's token endpoint. */
async function expectRunnerRefuses(runnerId: string, integrationId: string) {
  const before = await realSecretUses();
  const res = await admin.api(stack.dashboard, 'POST', `/api/runners/${runnerId}/integrations/${integrationId}/validate`);
  expect(res.status).toBe(200);
  expect(['invalid_credentials', 'needs_new_secret']).toContain(res.body.validation.status);
  expect(res.body.validation.message).toMatch(/refused the client secret|no longer has|enter it again/);
  expect(await realSecretUses()).toBe(before);
}

beforeAll(async () => {
  stack = await startTestStack();
  admin = await signedInBrowser(stack, 'admin@acme.test', 'admin');
  r1 = await localRunnerId(stack, admin);
  r2 = await startExtraRunner(stack, admin);
  consumer = await createConsumer(stack);
  goodEnvelope = await sealClientSecret({ secret: consumer.secret, publicJwk: await publicKeyOf(r1), runnerId: r1, host: 'bitbucket.org' });
  const base = { provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: true, clientId: consumer.key };
  i1 = (await admin.api(stack.dashboard, 'POST', `/api/runners/${r1}/integrations`, { ...base, oauthClientSecretEnvelope: goodEnvelope })).body.id;
  // The runner checks a Key and Secret before they are saved: r2 gets the real secret, sealed to its own key.
  const forR2 = await sealClientSecret({ secret: consumer.secret, publicJwk: await publicKeyOf(r2.id), runnerId: r2.id, host: 'bitbucket.org' });
  i2 = (await admin.api(stack.dashboard, 'POST', `/api/runners/${r2.id}/integrations`, { ...base, oauthClientSecretEnvelope: forR2 })).body.id;
  await settled(r1, i1);
  await settled(r2.id, i2);
  const usesBefore = await realSecretUses();
  const control = await admin.api(stack.dashboard, 'POST', `/api/runners/${r1}/integrations/${i1}/validate`);
  expect(control.body.validation.status).toBe('valid');
  // The counter sees a genuine use of the secret, so a refused envelope that leaked would show.
  expect(await realSecretUses()).toBe(usesBefore + 1);
}, 120_000);
afterAll(async () => {
  await r2?.stop();
  await stack?.stop();
});

describe('envelope attacks', () => {
  it('ciphertext moved to another runner: the API refuses it, and so does that runner', () =>
    check('envelope', 'moved to another runner', async () => {
      const api = await admin.api(stack.dashboard, 'PATCH', `/api/runners/${r2.id}/integrations/${i2}`, { oauthClientSecretEnvelope: goodEnvelope });
      expect(api.status).toBe(400);
      writeRow(i2, { secret_envelope: goodEnvelope });
      await expectRunnerRefuses(r2.id, i2);
    }));

  // The binding holds across providers: the runner opens a secret only for the host it was sealed for.
  it('a secret sealed for bitbucket.org, moved to a github.com integration', () =>
    check('envelope', 'moved to another provider (bitbucket.org → github.com)', async () => {
      const id = randomUUID();
      const db = new SQLite(dbFile());
      const row = db.prepare('SELECT * FROM scm_integrations WHERE id = ?').get(i1) as Record<string, unknown>;
      db.prepare(
        `INSERT INTO scm_integrations (id, org_id, runner_id, provider, host, oauth_enabled, client_id, secret_envelope, secret_kid, validation_status, created_at, updated_at)
         VALUES (?, ?, ?, 'github', 'github.com', 1, ?, ?, ?, 'pending', ?, ?)`,
      ).run(id, row.org_id, r1, consumer.key, goodEnvelope, row.secret_kid, new Date().toISOString(), new Date().toISOString());
      db.close();
      await expectRunnerRefuses(r1, id);
    }));

  it('a secret sealed for github.com, moved to the bitbucket.org integration', () =>
    check('envelope', 'moved to another provider (github.com → bitbucket.org)', async () => {
      const forGitHub = await sealClientSecret({ secret: consumer.secret, publicJwk: await publicKeyOf(r1), runnerId: r1, host: 'github.com' });
      const api = await admin.api(stack.dashboard, 'PATCH', `/api/runners/${r1}/integrations/${i1}`, { oauthClientSecretEnvelope: forGitHub });
      expect(api.status).toBe(400);
      writeRow(i1, { secret_envelope: forGitHub });
      await expectRunnerRefuses(r1, i1);
    }));

  // An editable host: a compromised BFF could point a GitLab integration at a host it controls.
  // The secret sealed for gitlab.com stays sealed for gitlab.com.
  it('a secret sealed for gitlab.com, moved to a self-managed GitLab host', () =>
    check('envelope', 'moved to another host of the same provider (gitlab.com → gitlab.attacker.test)', async () => {
      const forGitLab = await sealClientSecret({ secret: consumer.secret, publicJwk: await publicKeyOf(r1), runnerId: r1, host: 'gitlab.com' });
      const id = randomUUID();
      const db = new SQLite(dbFile());
      const row = db.prepare('SELECT * FROM scm_integrations WHERE id = ?').get(i1) as Record<string, unknown>;
      db.prepare(
        `INSERT INTO scm_integrations (id, org_id, runner_id, provider, host, oauth_enabled, client_id, secret_envelope, secret_kid, validation_status, created_at, updated_at)
         VALUES (?, ?, ?, 'gitlab', 'gitlab.attacker.test', 1, ?, ?, ?, 'pending', ?, ?)`,
      ).run(id, row.org_id, r1, consumer.key, forGitLab, row.secret_kid, new Date().toISOString(), new Date().toISOString());
      db.close();
      await expectRunnerRefuses(r1, id);
    }));

  it('protected header tampered (swapped for another valid header of the same runner and host)', () =>
    check('envelope', 'header tampered', async () => {
      const other = await sealClientSecret({ secret: 'different', publicJwk: await publicKeyOf(r1), runnerId: r1, host: 'bitbucket.org' });
      const [, ...rest] = goodEnvelope.split('.');
      const spliced = [other.split('.')[0], ...rest].join('.');
      writeRow(i1, { secret_envelope: spliced });
      await expectRunnerRefuses(r1, i1);
    }));

  it('ciphertext bit flipped', () =>
    check('envelope', 'ciphertext tampered', async () => {
      const parts = goodEnvelope.split('.');
      const ct = Buffer.from(parts[3]!, 'base64url');
      ct[0]! ^= 0x01;
      parts[3] = ct.toString('base64url');
      writeRow(i1, { secret_envelope: parts.join('.') });
      await expectRunnerRefuses(r1, i1);
    }));

  it('truncated and oversized envelopes', () =>
    check('envelope', 'truncated or oversized', async () => {
      const tooBig = `${goodEnvelope}${'A'.repeat(9000)}`;
      const api = await admin.api(stack.dashboard, 'PATCH', `/api/runners/${r1}/integrations/${i1}`, { oauthClientSecretEnvelope: tooBig });
      expect(api.status).toBe(400);
      const truncatedApi = await admin.api(stack.dashboard, 'PATCH', `/api/runners/${r1}/integrations/${i1}`, { oauthClientSecretEnvelope: goodEnvelope.slice(0, 100) });
      expect(truncatedApi.status).toBe(400);
      writeRow(i1, { secret_envelope: goodEnvelope.slice(0, goodEnvelope.length - 20) });
      await expectRunnerRefuses(r1, i1);
      writeRow(i1, { secret_envelope: tooBig });
      await expectRunnerRefuses(r1, i1);
    }));

  it('stale key id after a key rotation: new saves are refused; a key the runner never had is refused', () =>
    check('envelope', 'stale key', async () => {
      const oldKey = await publicKeyOf(r1);
      writeRow(i1, { secret_envelope: goodEnvelope });
      const rotated = await admin.api(stack.dashboard, 'POST', `/api/runners/${r1}/rotate-key`);
      expect(rotated.status).toBe(200);
      // Existing secrets keep working until re-entered …
      expect((await admin.api(stack.dashboard, 'POST', `/api/runners/${r1}/integrations/${i1}/validate`)).body.validation.status).toBe('valid');
      // … but the admin is told to re-enter them, and a new envelope sealed to the old key is refused.
      const list = await admin.api(stack.dashboard, 'GET', `/api/runners/${r1}/integrations`);
      expect(list.body.integrations.find((i: { id: string }) => i.id === i1).secretNeedsReentry).toBe(true);
      const stale = await sealClientSecret({ secret: consumer.secret, publicJwk: oldKey, runnerId: r1, host: 'bitbucket.org' });
      expect((await admin.api(stack.dashboard, 'PATCH', `/api/runners/${r1}/integrations/${i1}`, { oauthClientSecretEnvelope: stale })).status).toBe(400);
      const stranger = await createRunnerKeyPair();
      writeRow(i1, { secret_envelope: await sealClientSecret({ secret: consumer.secret, publicJwk: stranger.publicJwk, runnerId: r1, host: 'bitbucket.org' }) });
      await expectRunnerRefuses(r1, i1);
    }));

  it('control: the genuine envelope, re-sealed to the current key, validates', () =>
    check('envelope', 'control', async () => {
      const fresh = await sealClientSecret({ secret: consumer.secret, publicJwk: await publicKeyOf(r1), runnerId: r1, host: 'bitbucket.org' });
      const res = await admin.api(stack.dashboard, 'PATCH', `/api/runners/${r1}/integrations/${i1}`, { oauthClientSecretEnvelope: fresh });
      expect(res.status).toBe(200);
      expect((await admin.api(stack.dashboard, 'POST', `/api/runners/${r1}/integrations/${i1}/validate`)).body.validation.status).toBe('valid');
    }));
});
