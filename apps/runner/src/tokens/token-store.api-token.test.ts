import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createTokenCipher } from './token-cipher.ts';
import { createTokenStore } from './token-store.ts';

function newStore(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-tokens-'))) {
  return { dir, store: createTokenStore(dir, createTokenCipher(dir)) };
}

const base = (userId: string, integrationId = 'int-1') => ({
  userId,
  host: 'bitbucket.org',
  integrationId,
  clientId: 'key',
  accountName: 'Alice',
  accountUsername: 'alice',
  accountUuid: '{1}',
  email: 'alice@acme.test',
  scopes: ['account'],
  refreshToken: null,
  expiresAt: '2027-03-01T23:59:59.999Z',
});
const oauthToken = (userId: string, integrationId?: string) => ({ ...base(userId, integrationId), accessToken: `oauth-${userId}` });
const apiToken = (userId: string, integrationId?: string) => ({
  ...base(userId, integrationId),
  kind: 'api_token' as const,
  loginEmail: 'alice@acme.test',
  clientId: '',
  accessToken: `ATATT3x-api-token-canary-${userId}`,
});

describe('token store: API tokens', () => {
  it('keeps the kind and the login e-mail, and the token encrypted at rest', () => {
    const { dir, store } = newStore();
    const saved = store.save(apiToken('u1'));
    expect(saved).toMatchObject({ kind: 'api_token', loginEmail: 'alice@acme.test', accessToken: 'ATATT3x-api-token-canary-u1' });
    expect(store.save(oauthToken('u2'))).toMatchObject({ kind: 'oauth', loginEmail: null });
    store.close();
    const everything = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f)).toString('latin1')).join('');
    expect(everything).not.toContain('api-token-canary');
  });

  it('counts and deletes exactly the connections of one kind', () => {
    const { store } = newStore();
    store.save(apiToken('u1'));
    store.save(apiToken('u2'));
    store.save(oauthToken('u3'));
    store.save(apiToken('u4', 'int-2'));
    expect(store.countByIntegration('int-1', 'api_token')).toBe(2);
    expect(store.deleteByIntegration('int-1', 'api_token')).toBe(2);
    expect(store.find('u3', 'int-1')?.kind).toBe('oauth');
    expect(store.find('u4', 'int-2')?.kind).toBe('api_token');
  });

  it('reconcile drops API tokens when tokens are turned off, and keeps them when only OAuth is off', () => {
    const { store } = newStore();
    store.save(apiToken('u1'));
    store.save(oauthToken('u2'));
    expect(store.reconcile([{ id: 'int-1', clientId: 'key', oauthEnabled: false, patEnabled: true }])).toBe(1);
    expect(store.find('u1', 'int-1')).toBeDefined();
    expect(store.find('u2', 'int-1')).toBeUndefined();
    store.save(oauthToken('u2'));
    expect(store.reconcile([{ id: 'int-1', clientId: 'key', oauthEnabled: true, patEnabled: false }])).toBe(1);
    expect(store.find('u1', 'int-1')).toBeUndefined();
    expect(store.find('u2', 'int-1')).toBeDefined();
  });

  it('adds its columns to a database made before API tokens', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-tokens-old-'));
    const old = new SQLite(path.join(dir, 'tokens.sqlite'));
    old.exec(`CREATE TABLE tokens (
      id TEXT PRIMARY KEY, user_id TEXT NOT NULL, host TEXT NOT NULL, integration_id TEXT NOT NULL, client_id TEXT NOT NULL,
      account_name TEXT NOT NULL, account_username TEXT, account_uuid TEXT, email TEXT, scopes TEXT NOT NULL,
      access_ct TEXT NOT NULL, refresh_ct TEXT, expires_at TEXT, needs_reauth INTEGER NOT NULL DEFAULT 0, reauth_reason TEXT,
      connected_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (user_id, integration_id))`);
    old.close();
    const { store } = newStore(dir);
    store.save(oauthToken('u1'));
    expect(store.find('u1', 'int-1')).toMatchObject({ kind: 'oauth', loginEmail: null });
  });
});
