import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBff } from './test-bff.ts';
import { startSignedInBff } from './signed-in-bff.ts';
import { TestApiClient } from './api-client.ts';
import { createOtherOrgAdmin } from './other-org.ts';

let t: TestBff;
let admin: TestApiClient;
beforeAll(async () => {
  ({ bff: t, admin } = await startSignedInBff());
});
afterAll(() => t.close());

const withKey = (key: string) => ({ 'idempotency-key': key });

async function runnersNamed(name: string) {
  return t.db.selectFrom('runners').select('id').where('name', '=', name).execute();
}

describe('Idempotency-Key on creates', () => {
  it('a double click creates one runner, and both answers carry the same one-time token', async () => {
    const key = randomUUID();
    const body = { name: `Double click ${randomUUID().slice(0, 8)}`, publicUrl: 'http://localhost:4990' };
    const [first, second] = await Promise.all([
      admin.request('POST', '/api/runners', body, withKey(key)),
      admin.request('POST', '/api/runners', body, withKey(key)),
    ]);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body).toEqual(first.body);
    expect(first.body.runnerToken).toMatch(/^rct_/);
    expect([first.headers.get('idempotent-replayed'), second.headers.get('idempotent-replayed')].sort()).toEqual(['true', null].sort());
    expect(await runnersNamed(body.name)).toHaveLength(1);
    // A later repeat (a retry after a lost answer) gets it too.
    const later = await admin.request('POST', '/api/runners', body, withKey(key));
    expect(later.status).toBe(201);
    expect(later.body.runner.id).toBe(first.body.runner.id);
  });

  it('keeps no answer in the clear: the one-time token is nowhere in the database files', async () => {
    const key = randomUUID();
    const created = await admin.request('POST', '/api/runners', { name: `Sealed ${randomUUID().slice(0, 8)}` }, withKey(key));
    expect(created.status).toBe(201);
    const token = created.body.runnerToken as string;
    const rows = await t.db.selectFrom('idempotency_keys').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(JSON.stringify(rows)).not.toContain(key);
    if (!process.env.DATABASE_URL && fs.existsSync(path.join(t.dataDir, 'bff'))) {
      const dir = path.join(t.dataDir, 'bff');
      const files = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f)).toString('latin1')).join('');
      expect(files).not.toContain(token);
    }
  });

  it('refuses the same key with another request (422), and a key that is too short (400)', async () => {
    const key = randomUUID();
    expect((await admin.request('POST', '/api/runners', { name: `Reused ${randomUUID().slice(0, 8)}` }, withKey(key))).status).toBe(201);
    const other = await admin.request('POST', '/api/runners', { name: `Reused other ${randomUUID().slice(0, 8)}` }, withKey(key));
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    const short = await admin.request('POST', '/api/runners', { name: 'Short key' }, withKey('abc'));
    expect(short.status).toBe(400);
    expect(short.body.error.message).toMatch(/Idempotency-Key/);
  });

  it('does not keep a refusal: the same key runs again once the input is fixed', async () => {
    const key = randomUUID();
    const refused = await admin.request('POST', '/api/runners', { name: '   ' }, withKey(key));
    expect(refused.status).toBe(400);
    const name = `Fixed ${randomUUID().slice(0, 8)}`;
    const fixed = await admin.request('POST', '/api/runners', { name }, withKey(key));
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
  });

  it('scopes keys to the caller: another organization’s admin with the same key gets their own runner', async () => {
    const key = randomUUID();
    const body = { name: `Scoped ${randomUUID().slice(0, 8)}` };
    const mine = await admin.request('POST', '/api/runners', body, withKey(key));
    const other = await createOtherOrgAdmin(t.db);
    const theirs = new TestApiClient(t.url);
    await theirs.signIn(other.email, other.password);
    const created = await theirs.request('POST', '/api/runners', body, withKey(key));
    expect(created.status).toBe(201);
    expect(created.body.runner.id).not.toBe(mine.body.runner.id);
    expect(created.body.runnerToken).not.toBe(mine.body.runnerToken);
  });

  it('without the header, a create runs every time (as API clients expect)', async () => {
    const name = `No key ${randomUUID().slice(0, 8)}`;
    expect((await admin.request('POST', '/api/runners', { name })).status).toBe(201);
    expect((await admin.request('POST', '/api/runners', { name })).status).toBe(409);
  });
});
