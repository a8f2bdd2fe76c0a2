import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Encryption at rest for provider tokens: AES-256-GCM from Node's crypto, with a random 256-bit key
 * kept in the runner's data folder (mode 0600). The additional data binds a ciphertext to its row
 * (user and integration), so a token copied onto another user's row does not decrypt.
 * Node's built-in AES-GCM is the standard construction here; no extra library needed.
 */
export function createTokenCipher(dataDir: string) {
  const keyFile = path.join(dataDir, 'token-key');
  if (!fs.existsSync(keyFile)) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(keyFile, randomBytes(32), { mode: 0o600 });
  }
  const key = fs.readFileSync(keyFile);
  if (key.length !== 32) throw new Error(`${keyFile} is not a 256-bit key. Restore it from a backup, or delete it (all stored tokens are then lost).`);

  return {
    encrypt(plaintext: string, aad: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(aad));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    decrypt(sealed: string, aad: string): string {
      const [version, iv, ct, tag] = sealed.split('.');
      if (version !== 'v1' || !iv || ct === undefined || !tag) throw new Error('token ciphertext is malformed');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(aad));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
export type TokenCipher = ReturnType<typeof createTokenCipher>;
