import { timingSafeEqual } from 'node:crypto';

/**
 * Compares two secrets (nonces, state hashes, CSRF and confirmation tokens) in time that does not
 * depend on where they differ. Node only: a second entry of the package, so nothing of node:crypto
 * reaches the browser. Unequal lengths answer false at once; only the length leaks, as with any
 * comparison of hashes of fixed size.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
