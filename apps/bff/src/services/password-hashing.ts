import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// scrypt from Node's crypto (no native dependency). Parameters: one of the equivalent settings in
// OWASP's password storage cheat sheet (N=2^14, r=8, p=5). It costs as much CPU as the N=2^17, p=1
// row but needs 16 MiB per hash instead of 128 MiB, so a burst of sign-ins cannot balloon the BFF's
// memory. Each hash records its parameters, so hashes made with earlier settings still verify.
const current = { N: 2 ** 14, r: 8, p: 5 };
const keyLength = 32;
const MAX_MEM = 64 * 1024 * 1024;

function scryptAsync(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: MAX_MEM };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/**
 * For the development seed's accounts only, whose passwords ("admin", "dev") are printed in the
 * README: no hash parameters protect a password everyone knows, and the smallest ones scrypt
 * accepts here make each of the test suites' thousands of sign-ins ~100× cheaper (250 ms of CPU
 * each with `current`). Every account a person creates gets `current`.
 */
export const publicPasswordParams = { N: 2 ** 10, r: 8, p: 1 };

export async function hashPassword(password: string, params: { N: number; r: number; p: number } = current): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Parameters a stored hash names, within sane bounds (a power of two N up to 2^17, r ≤ 16, p ≤ 16). */
function storedParams(n: string | undefined, r: string | undefined, p: string | undefined) {
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const ok =
    Number.isInteger(params.N) && params.N >= 2 ** 10 && params.N <= 2 ** 17 && (params.N & (params.N - 1)) === 0 &&
    Number.isInteger(params.r) && params.r >= 1 && params.r <= 16 &&
    Number.isInteger(params.p) && params.p >= 1 && params.p <= 16;
  return ok ? params : undefined;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltB64, keyB64] = stored.split('$');
  const params = storedParams(n, r, p);
  if (scheme !== 'scrypt' || !params || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(saltB64, 'base64url'), params);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash to compare against when the e-mail is unknown, so timing does not reveal which accounts exist. */
export const decoyPasswordHash = hashPassword(randomBytes(16).toString('hex'));
