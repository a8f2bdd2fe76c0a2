import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTokenCipher } from './token-cipher.ts';
import { createTokenStore } from './token-store.ts';
import type { TokenRow } from './token-journal.ts';

/** Rewrites the journal's rows on disk, as someone with access to the data folder could. */
function tamper(dir: string, change: (rows: TokenRow[]) => void) {
  const file = path.join(dir, 'tokens.jsonl');
  const rows = new Map<string, TokenRow>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const record = JSON.parse(line) as { put: TokenRow } | { del: string };
    if ('put' in record) rows.set(record.put.id, record.put);
    else rows.delete(record.del);
  }
  const list = [...rows.values()];
  change(list);
  fs.writeFileSync(file, list.map((put) => `${JSON.stringify({ put })}\n`).join(''));
}

function newStore() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-tokens-'));
  return { dir, store: createTokenStore(dir, createTokenCipher(dir)) };
}

const token = (userId: string, accessToken: string) => ({
  userId,
  host: 'bitbucket.org',
  integrationId: 'int-1',
  clientId: 'key',
  accountName: 'Alice',
  accountUsername: 'alice',
  accountUuid: '{1}',
  email: null,
  scopes: ['account', 'repository'],
  accessToken,
  refreshToken: `refresh-${accessToken}`,
  expiresAt: new Date(Date.now() + 7200_000).toISOString(),
});

describe('token store', () => {
  it('keeps tokens encrypted at rest with a 0600 key file', () => {
    const { dir, store } = newStore();
    store.save(token('u1', 'plain-access-token-canary'));
    store.close();
    const everything = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f)).toString('latin1')).join('');
    expect(everything).not.toContain('plain-access-token-canary');
    expect(fs.statSync(path.join(dir, 'token-key')).mode & 0o777).toBe(0o600);
  });

  it('round-trips and replaces a user’s token on reconnect', () => {
    const { store } = newStore();
    store.save(token('u1', 'first'));
    store.save(token('u1', 'second'));
    expect(store.listSummariesByUser('u1')).toHaveLength(1);
    expect(store.find('u1', 'int-1')?.accessToken).toBe('second');
  });

  it('answers status questions without decrypting: summaries carry no token, even when the ciphertext is damaged', () => {
    const opened = newStore();
    const dir = opened.dir;
    let store = opened.store;
    store.save(token('u1', 'access-secret'));
    store.close();
    tamper(dir, (rows) => rows.forEach((r) => (r.access_ct = 'not-a-ciphertext')));
    store = createTokenStore(dir, createTokenCipher(dir));
    const summary = store.findSummary('u1', 'int-1');
    expect(summary).toMatchObject({ userId: 'u1', integrationId: 'int-1', needsReauthorization: false });
    expect(summary).not.toHaveProperty('accessToken');
    expect(JSON.stringify(store.listSummariesByUser('u1'))).not.toContain('access-secret');
    expect(() => store.find('u1', 'int-1')).toThrow();
  });

  it('refuses a ciphertext copied onto another user’s row', () => {
    const { dir, store } = newStore();
    store.save(token('alice', 'alice-token'));
    store.save(token('mallory', 'mallory-token'));
    store.close();
    tamper(dir, (rows) => {
      const alice = rows.find((r) => r.user_id === 'alice')!;
      rows.find((r) => r.user_id === 'mallory')!.access_ct = alice.access_ct;
    });
    const reopened = createTokenStore(dir, createTokenCipher(dir));
    expect(() => reopened.find('mallory', 'int-1')).toThrow();
  });

  it('drops tokens whose integration is gone, has OAuth off, or changed its OAuth client', () => {
    const { store } = newStore();
    store.save(token('u1', 'a'));
    store.save({ ...token('u2', 'b'), integrationId: 'int-2' });
    store.save({ ...token('u3', 'c'), integrationId: 'int-3' });
    const removed = store.reconcile([
      { id: 'int-1', clientId: 'key', oauthEnabled: true },
      { id: 'int-2', clientId: 'other-key', oauthEnabled: true },
    ]);
    expect(removed).toBe(2);
    expect(store.find('u1', 'int-1')).toBeDefined();
    expect(store.find('u2', 'int-2')).toBeUndefined();
    expect(store.find('u3', 'int-3')).toBeUndefined();
  });

  it('keeps every acknowledged change across a restart, in a 0600 file', () => {
    const { dir, store } = newStore();
    const a = store.save(token('u1', 'a1'));
    store.save({ ...token('u2', 'b1'), integrationId: 'int-2' });
    store.updateAccess(a, { accessToken: 'a2', refreshToken: 'r2', expiresAt: null, scopes: ['account'] });
    store.markNeedsReauthorization(store.find('u2', 'int-2')!, 'revoked');
    store.save(token('u3', 'c1'));
    expect(store.deleteForUser('u3', store.find('u3', 'int-1')!.id)).toBe(true);
    store.close();
    expect(fs.statSync(path.join(dir, 'tokens.jsonl')).mode & 0o777).toBe(0o600);
    const reopened = createTokenStore(dir, createTokenCipher(dir));
    expect(reopened.find('u1', 'int-1')).toMatchObject({ id: a.id, accessToken: 'a2', refreshToken: 'r2', scopes: ['account'] });
    expect(reopened.findSummary('u2', 'int-2')).toMatchObject({ needsReauthorization: true, reauthorizeReason: 'revoked' });
    expect(reopened.find('u3', 'int-1')).toBeUndefined();
  });

  it('drops a torn last line left by a crash mid-write, and keeps everything before it', () => {
    const { dir, store } = newStore();
    store.save(token('u1', 'kept'));
    store.close();
    fs.appendFileSync(path.join(dir, 'tokens.jsonl'), '{"put":{"id":"half');
    const reopened = createTokenStore(dir, createTokenCipher(dir));
    expect(reopened.find('u1', 'int-1')?.accessToken).toBe('kept');
    reopened.save(token('u2', 'after'));
    reopened.close();
    const again = createTokenStore(dir, createTokenCipher(dir));
    expect(again.find('u2', 'int-1')?.accessToken).toBe('after');
  });

  it('refuses to start on a journal damaged in the middle, saying what to do', () => {
    const { dir, store } = newStore();
    store.save(token('u1', 'x'));
    store.close();
    const file = path.join(dir, 'tokens.jsonl');
    fs.writeFileSync(file, `garbage\n${fs.readFileSync(file, 'utf8')}`);
    expect(() => createTokenStore(dir, createTokenCipher(dir))).toThrow(/damaged.*Restore it from a backup/);
  });

  it('compacts the journal when most of it is dead lines, losing nothing', () => {
    const { dir, store } = newStore();
    for (let i = 0; i < 1500; i++) store.save(token('u1', `access-${i}`));
    store.save({ ...token('u2', 'other'), integrationId: 'int-2' });
    const lines = fs.readFileSync(path.join(dir, 'tokens.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(lines.length).toBeLessThan(1000);
    store.close();
    const reopened = createTokenStore(dir, createTokenCipher(dir));
    expect(reopened.find('u1', 'int-1')?.accessToken).toBe('access-1499');
    expect(reopened.find('u2', 'int-2')?.accessToken).toBe('other');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('sees rows another process appended to the journal (a seeding script)', () => {
    const { dir, store } = newStore();
    store.save(token('u1', 'mine'));
    const writer = createTokenStore(dir, createTokenCipher(dir));
    writer.save(token('u2', 'theirs'));
    writer.close();
    expect(store.find('u2', 'int-1')?.accessToken).toBe('theirs');
    expect(store.listSummariesByUser('u1')).toHaveLength(1);
  });

  describe('refresh rotation support', () => {
    it('replaceRefresh swaps in the rotated pair only while the expected refresh token is still stored', () => {
      const { store } = newStore();
      const saved = store.save(token('u1', 'a1'));
      const next = { accessToken: 'a2', refreshToken: 'r2', expiresAt: null, scopes: ['account'] };
      expect(store.replaceRefresh(saved.id, 'not-the-stored-one', next)).toBeUndefined();
      expect(store.find('u1', 'int-1')?.accessToken).toBe('a1');
      const replaced = store.replaceRefresh(saved.id, 'refresh-a1', next);
      expect(replaced).toMatchObject({ accessToken: 'a2', refreshToken: 'r2', scopes: ['account'] });
      // The loser of a race, arriving later with the old expectation, changes nothing.
      expect(store.replaceRefresh(saved.id, 'refresh-a1', { ...next, accessToken: 'a3', refreshToken: 'r3' })).toBeUndefined();
      expect(store.find('u1', 'int-1')).toMatchObject({ accessToken: 'a2', refreshToken: 'r2' });
    });

    it('beginRefresh leases a token: busy for another owner while the lease lives, never for its own owner, and reports a lease that was not finished', async () => {
      const { store } = newStore();
      const saved = store.save(token('u1', 'a1'));
      const a = { leaseMs: 60_000, owner: 'process-a' };
      const b = { leaseMs: 60_000, owner: 'process-b' };
      expect(store.beginRefresh(saved.id, a)).toEqual({ status: 'acquired', interrupted: false });
      expect(store.beginRefresh(saved.id, b)).toEqual({ status: 'busy' });
      // Its own earlier lease (a refresh whose answer it lost) does not make an owner wait, but counts as unfinished.
      expect(store.beginRefresh(saved.id, a)).toEqual({ status: 'acquired', interrupted: true });
      await new Promise((resolve) => setTimeout(resolve, 20));
      // Once older than the lease time, another owner takes it over: the holder is gone.
      expect(store.beginRefresh(saved.id, { leaseMs: 10, owner: 'process-b' })).toEqual({ status: 'acquired', interrupted: true });
      store.endRefresh(saved.id);
      expect(store.beginRefresh(saved.id, a)).toEqual({ status: 'acquired', interrupted: false });
      expect(store.beginRefresh('no-such-token', a)).toEqual({ status: 'gone' });
    });

    it('the lease survives a restart, and a stored rotation, a reconnect or Connect again ends it', () => {
      const { dir, store } = newStore();
      const saved = store.save(token('u1', 'a1'));
      const killed = { leaseMs: 60_000, owner: 'killed-process' };
      const next = { leaseMs: 60_000, owner: 'next-process' };
      store.beginRefresh(saved.id, killed);
      store.close();
      const reopened = createTokenStore(dir, createTokenCipher(dir));
      expect(reopened.beginRefresh(saved.id, next)).toEqual({ status: 'busy' });
      reopened.replaceRefresh(saved.id, 'refresh-a1', { accessToken: 'a2', refreshToken: 'r2', expiresAt: null, scopes: [] });
      expect(reopened.beginRefresh(saved.id, next)).toEqual({ status: 'acquired', interrupted: false });
      reopened.save(token('u1', 'b1'));
      expect(reopened.beginRefresh(saved.id, killed)).toEqual({ status: 'acquired', interrupted: false });
      reopened.markNeedsReauthorization(reopened.find('u1', 'int-1')!, 'Connect again.');
      expect(reopened.beginRefresh(saved.id, next)).toEqual({ status: 'acquired', interrupted: false });
    });
  });
});
