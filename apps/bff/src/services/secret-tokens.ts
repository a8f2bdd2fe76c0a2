import { createHash, randomBytes } from 'node:crypto';

/** A random, URL-safe secret with a readable prefix (rct_ = runner token, …). */
export function createSecretToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** Tokens are stored only as sha256: they are 256-bit random, so a slow hash adds nothing. */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
