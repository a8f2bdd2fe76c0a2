import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A random string of letters and digits. Bitbucket's consumer keys (18), secrets (32),
 * authorization codes and refresh tokens (18) have this shape.
 */
export function generateAlphanumeric(length: number): string {
  return Array.from({ length }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('');
}

/** A long URL-safe access token, like Bitbucket's (which are well over 100 characters). */
export function generateAccessTokenValue(): string {
  return randomBytes(96).toString('base64url');
}

/** Codes and tokens are stored as SHA-256 hashes only, so a copy of the database holds no usable secret. */
export function hashOpaqueToken(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(hashOpaqueToken(a), 'hex');
  const right = Buffer.from(hashOpaqueToken(b), 'hex');
  return timingSafeEqual(left, right);
}

/**
 * A token with a provider's prefix and 36 random letters and digits, the shape of GitHub's
 * `ghp_…`, `gho_…`, `ghu_…` and `ghr_…` tokens.
 */
export function generatePrefixedToken(prefix: string, length = 36): string {
  return `${prefix}${generateAlphanumeric(length)}`;
}
