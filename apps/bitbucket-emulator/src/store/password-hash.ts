import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;
// The emulator stands in for Bitbucket's sign-in; its hashing cost protects nothing real and would
// only slow tests with many users, so it uses a low scrypt cost. "scrypt" hashes made before this
// change used Node's default cost and still verify.
const CHEAP = { N: 1024, r: 8, p: 1 };

/** Hashes a password as `scrypt-n1024$<salt>$<hash>` (hex). */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, KEY_LENGTH, CHEAP);
  return `scrypt-n1024$${salt.toString('hex')}$${hash.toString('hex')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, saltHex, hashHex] = stored.split('$');
  if ((scheme !== 'scrypt' && scheme !== 'scrypt-n1024') || !saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const options = scheme === 'scrypt' ? {} : CHEAP;
  const actual = scryptSync(password, Buffer.from(saltHex, 'hex'), expected.length, options);
  return timingSafeEqual(actual, expected);
}
