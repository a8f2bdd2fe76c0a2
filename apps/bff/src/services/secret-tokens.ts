import { hash, randomBytes } from 'node:crypto';

/** A random, URL-safe secret with a readable prefix (rct_ = runner token, …). */
export function createSecretToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** Tokens are stored only as sha256: they are 256-bit random, so a slow hash adds nothing. This runs
 * on every API call (the session cookie), so it uses the one-shot crypto.hash, ~6× cheaper than a
 * createHash object. */
export function hashSecretToken(token: string): string {
  return hash('sha256', token, 'base64url');
}
