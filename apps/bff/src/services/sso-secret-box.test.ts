import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSsoSecretBox, loadSsoSecretKey } from './sso-secret-box.ts';

describe('the single sign-on client secret at rest', () => {
  const key = new Uint8Array(randomBytes(32));

  it('seals to a JWE that opens only for its organization and key', async () => {
    const box = createSsoSecretBox(key);
    const sealed = await box.seal('org-a', 'the-client-secret');
    expect(sealed).not.toContain('the-client-secret');
    expect(JSON.parse(Buffer.from(sealed.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'dir', enc: 'A256GCM', rc_org: 'org-a' });
    expect(await box.open('org-a', sealed)).toBe('the-client-secret');
    await expect(box.open('org-b', sealed)).rejects.toThrow(/another organization/);
    await expect(createSsoSecretBox(new Uint8Array(randomBytes(32))).open('org-a', sealed)).rejects.toThrow();
  });

  it('takes SSO_SECRET_KEY in base64 or base64url, and refuses a key that is not 32 bytes', () => {
    const raw = randomBytes(32);
    expect(Buffer.from(loadSsoSecretKey(raw.toString('base64'), '/nonexistent').key)).toEqual(raw);
    expect(Buffer.from(loadSsoSecretKey(raw.toString('base64url'), '/nonexistent').key)).toEqual(raw);
    expect(() => loadSsoSecretKey('c2hvcnQ=', '/nonexistent')).toThrow(/SSO_SECRET_KEY must hold 32 random bytes/);
  });

  it('without SSO_SECRET_KEY makes a 0600 key file once and reads the same key after', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-sso-key-'));
    try {
      const first = loadSsoSecretKey(undefined, dir);
      const second = loadSsoSecretKey(undefined, dir);
      expect(first.source).toBe('file');
      expect(Buffer.from(second.key)).toEqual(Buffer.from(first.key));
      expect(fs.statSync(path.join(dir, 'sso-secret.key')).mode & 0o777).toBe(0o600);
      expect(fs.readdirSync(dir)).toEqual(['sso-secret.key']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
