import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBff, type TestBff } from './test-bff.ts';
import { signedIn, type TestApiClient } from './api-client.ts';
import { connectFakeRunner } from './fake-runner.ts';
import { check } from '../../../security/support/record-security-row.ts';

/**
 * Part of `npm run test:security` (item 4, access control): a runner token stops working the moment
 * an admin replaces it or deletes the runner, a live link is cut at once, and no token is kept in
 * plaintext anywhere the BFF writes.
 */
let t: TestBff;
let admin: TestApiClient;
beforeAll(async () => {
  t = await startTestBff();
  admin = await signedIn(t.url, 'admin');
});
afterAll(() => t.close());

async function setUp(name: string) {
  const res = await admin.request('POST', '/api/runners', { name, publicUrl: 'http://localhost:4999' });
  expect(res.status).toBe(201);
  return res.body as { runner: { id: string }; runnerToken: string };
}

describe('runner tokens', () => {
  it('a replaced token is refused at once, and its live link is cut', () =>
    check('access', 'replaced runner token', async () => {
      const { runner, runnerToken } = await setUp('Token rotation target');
      const live = await connectFakeRunner(t.url, runnerToken);
      const started = Date.now();
      const next = await admin.request('POST', `/api/runners/${runner.id}/token`);
      expect(next.status).toBe(200);
      expect((await live.closed).code).toBe(4004);
      expect(Date.now() - started).toBeLessThan(2_000);
      await expect(connectFakeRunner(t.url, runnerToken)).rejects.toThrow('refused: 401');
      // Replacing it again also retires the second token.
      const third = await admin.request('POST', `/api/runners/${runner.id}/token`);
      await expect(connectFakeRunner(t.url, next.body.runnerToken)).rejects.toThrow('refused: 401');
      // The same runner (same data folder, so the same pinned key) with the newest token.
      (await connectFakeRunner(t.url, third.body.runnerToken, undefined, { keyPair: live.keyPair })).close();
    }));

  it('a deleted runner’s token is refused, and its sealed secrets are gone from the database', () =>
    check('access', 'deleted runner token', async () => {
      const { runner, runnerToken } = await setUp('Deletion target');
      const live = await connectFakeRunner(t.url, runnerToken, {
        configure: () => ({}),
        // The runner checks a new Key and Secret before the BFF stores them.
        validateCandidate: () => ({ status: 'valid', message: 'ok', field: null }),
        eraseAll: () => ({ tokens: 0, workspaces: 0 }),
      });
      const added = await admin.request('POST', `/api/runners/${runner.id}/integrations`, {
        provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: true, clientId: 'key', oauthPlaintextClientSecret: 'deleted-runner-secret',
      });
      expect(added.status).toBe(201);
      expect((await admin.request('DELETE', `/api/runners/${runner.id}`)).status).toBe(200);
      expect((await live.closed).code).toBe(4003);
      await expect(connectFakeRunner(t.url, runnerToken)).rejects.toThrow('refused: 401');
      expect(await t.db.selectFrom('scm_integrations').select('id').where('runner_id', '=', runner.id).execute()).toEqual([]);
      expect((await admin.request('GET', `/api/runners/${runner.id}/integrations`)).status).toBe(404);
    }));

  it('no runner token is kept in plaintext in the database files or the logs', () =>
    check('access', 'runner tokens only hashed', async () => {
      const { runner, runnerToken } = await setUp('Plaintext check');
      const next = (await admin.request('POST', `/api/runners/${runner.id}/token`)).body.runnerToken as string;
      const dir = path.join(t.dataDir, 'bff');
      const stored = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f)).toString('latin1')).join('');
      for (const token of [runnerToken, next]) {
        expect(stored).not.toContain(token);
        expect(t.logLines.join('\n')).not.toContain(token);
      }
      const audit = await admin.request('GET', `/api/runners/${runner.id}/audit-log`);
      expect(JSON.stringify(audit.body)).not.toContain(next);
    }));
});
