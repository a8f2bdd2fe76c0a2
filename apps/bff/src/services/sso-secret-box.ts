import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';

/**
 * The single sign-on client secret at rest: a compact JWE, `dir` + `A256GCM` (AES-256-GCM), made
 * with jose under a 32-byte key from the BFF's configuration. The protected header names the
 * organization, and opening checks it, so a sealed secret copied to another organization's row is
 * refused.
 */
export interface SsoSecretBox {
  seal(orgId: string, secret: string): Promise<string>;
  open(orgId: string, sealed: string): Promise<string>;
}

export function createSsoSecretBox(key: Uint8Array): SsoSecretBox {
  if (key.length !== 32) throw new Error('SSO_SECRET_KEY must be 32 bytes');
  return {
    async seal(orgId, secret) {
      return new CompactEncrypt(new TextEncoder().encode(secret)).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', rc_org: orgId }).encrypt(key);
    },
    async open(orgId, sealed) {
      const { plaintext, protectedHeader } = await compactDecrypt(sealed, key, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
      if (protectedHeader.rc_org !== orgId) throw new Error('the sealed client secret belongs to another organization');
      return new TextDecoder().decode(plaintext);
    },
  };
}

/**
 * The key: SSO_SECRET_KEY (32 bytes, base64 or base64url) when set, as every instance of a cluster
 * on several machines needs the same one. Otherwise a key file in the data folder, made on first
 * start with mode 0600; instances sharing DATA_DIR (`npm run start:cluster`) share it. It is
 * created under a temporary name and linked into place, so instances starting together end up
 * with the one key that won.
 */
export function loadSsoSecretKey(fromEnv: string | undefined, dataDir: string): { key: Uint8Array; source: 'env' | 'file' } {
  if (fromEnv) return { key: decodeKey(fromEnv, 'SSO_SECRET_KEY'), source: 'env' };
  const file = path.join(dataDir, 'sso-secret.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(temp, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
    try {
      fs.linkSync(temp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }
  return { key: decodeKey(fs.readFileSync(file, 'utf8').trim(), file), source: 'file' };
}

function decodeKey(value: string, where: string): Uint8Array {
  const key = Buffer.from(value.trim().replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''), 'base64url');
  if (key.length !== 32) {
    throw new Error(`${where} must hold 32 random bytes in base64 (make one with: node -e "console.log(crypto.randomBytes(32).toString('base64'))").`);
  }
  return new Uint8Array(key);
}
