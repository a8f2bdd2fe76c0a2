import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ListConnectionsResult } from '@runner-console/contracts';
import { createLogger } from '../logger.ts';
import { createTokenCipher } from './token-cipher.ts';
import { createTokenStore } from './token-store.ts';
import { ConnectionNotFoundError, createConnectionAdmin } from './connection-admin.ts';
import type { RevokeAtProvider } from './revoke-at-provider.ts';
import type { StoredToken } from './token-store.ts';

function setUp(revokeAtProvider: RevokeAtProvider = async () => 'not_supported') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-connections-'));
  const store = createTokenStore(dir, createTokenCipher(dir));
  const admin = createConnectionAdmin({ store, revokeAtProvider, log: createLogger('silent') });
  const save = (userId: string, integrationId: string, secret: string) =>
    store.save({
      userId,
      host: 'bitbucket.org',
      integrationId,
      clientId: 'key',
      accountName: `${userId} account`,
      accountUsername: userId,
      accountUuid: '{1}',
      email: `${userId}@acme.test`,
      scopes: ['account', 'repository'],
      accessToken: `access-${secret}`,
      refreshToken: `refresh-${secret}`,
      expiresAt: new Date(Date.now() + 7200_000).toISOString(),
    });
  return { dir, store, admin, save };
}

describe('connection admin (Runner › Connections and offboarding)', () => {
  it('lists every user’s connection with user, host, method, scopes and last use, and never a token', () => {
    const { admin, save, store } = setUp();
    const alice = save('user-alice', 'int-1', 'a1');
    save('user-bob', 'int-1', 'b1');
    store.markUsed(alice.id, new Date('2026-12-01T10:00:00Z'));

    const listed = admin.listConnections();
    expect(listed.connections.map((c) => c.userId).sort()).toEqual(['user-alice', 'user-bob']);
    const first = listed.connections.find((c) => c.userId === 'user-alice')!;
    expect(first).toMatchObject({ id: alice.id, host: 'bitbucket.org', method: 'oauth', scopes: ['account', 'repository'], lastUsedAt: '2026-12-01T10:00:00.000Z', needsReauthorization: false });
    expect(listed.connections.find((c) => c.userId === 'user-bob')!.lastUsedAt).toBeNull();
    // What goes over the link: no token, refresh token or ciphertext in any form.
    const wire = JSON.stringify(listed);
    expect(wire).not.toMatch(/access-|refresh-|accessToken|refreshToken|_ct/);
    expect(ListConnectionsResult.parse(listed)).toEqual(listed);
  });

  it('notes a use at most once a minute, so a busy developer does not grow the journal per git fetch', () => {
    const { store, save, dir } = setUp();
    const t = save('user-alice', 'int-1', 'a1');
    const lines = () => fs.readFileSync(path.join(dir, 'tokens.jsonl'), 'utf8').split('\n').filter(Boolean).length;
    store.markUsed(t.id, new Date('2026-12-01T10:00:00Z'));
    const after = lines();
    store.markUsed(t.id, new Date('2026-12-01T10:00:30Z'));
    expect(lines()).toBe(after);
    store.markUsed(t.id, new Date('2026-12-01T10:01:01Z'));
    expect(lines()).toBe(after + 1);
    expect(store.findSummary('user-alice', 'int-1')!.lastUsedAt).toBe('2026-12-01T10:01:01.000Z');
  });

  it('revokes one connection: erased on the runner, the provider asked with that token, others untouched', async () => {
    const asked: StoredToken[] = [];
    const { admin, save, store } = setUp(async (t) => {
      asked.push(t);
      return 'revoked';
    });
    const alice = save('user-alice', 'int-1', 'a1');
    save('user-bob', 'int-1', 'b1');

    const result = await admin.revokeConnection(alice.id);
    expect(result.atProvider).toBe('revoked');
    expect(result.connection).toMatchObject({ id: alice.id, userId: 'user-alice', accountName: 'user-alice account' });
    expect(JSON.stringify(result)).not.toContain('access-a1');
    expect(asked.map((t) => t.accessToken)).toEqual(['access-a1']);
    expect(store.find('user-alice', 'int-1')).toBeUndefined();
    expect(store.find('user-bob', 'int-1')).toBeDefined();
    // A second click: the connection is already gone.
    await expect(admin.revokeConnection(alice.id)).rejects.toBeInstanceOf(ConnectionNotFoundError);
  });

  it('erases the token even when the provider cannot be reached, and says so', async () => {
    const { admin, save, store } = setUp(async () => {
      throw new Error('connect ECONNREFUSED');
    });
    const alice = save('user-alice', 'int-1', 'a1');
    expect((await admin.revokeConnection(alice.id)).atProvider).toBe('failed');
    expect(store.count()).toBe(0);
  });

  it('erases every connection of a removed member, on every integration, and nobody else’s', async () => {
    const { admin, save, store } = setUp();
    save('user-alice', 'int-1', 'a1');
    save('user-alice', 'int-2', 'a2');
    save('user-bob', 'int-1', 'b1');

    expect(await admin.eraseUserConnections('user-alice')).toEqual({ erased: 2, revokedAtProvider: 0 });
    expect(store.listSummariesByUser('user-alice')).toEqual([]);
    expect(store.listSummariesByUser('user-bob')).toHaveLength(1);
    // Delivered twice (a pending erasure retried after a lost answer): nothing left, nothing fails.
    expect(await admin.eraseUserConnections('user-alice')).toEqual({ erased: 0, revokedAtProvider: 0 });
  });
});
