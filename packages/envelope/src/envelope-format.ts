/**
 * The envelope is a JWE in compact serialization (RFC 7516):
 *
 *   BASE64URL(protected header) . "" . BASE64URL(iv) . BASE64URL(ciphertext) . BASE64URL(tag)
 *
 * with alg ECDH-ES (direct key agreement, so the encrypted-key part is empty) and enc A256GCM.
 * The whole protected header is the AES-GCM additional authenticated data, so the binding it
 * carries (runner, key id, host) cannot be changed without decryption failing.
 */

/** Media type in the `typ` header, so an envelope is never mistaken for another JWE. */
export const ENVELOPE_TYPE = 'rc-client-secret+jwe';

/** Format version in the `rc_v` header. Bump it when the format changes; old runners refuse it. */
export const ENVELOPE_VERSION = 1;

export const ENVELOPE_ALG = 'ECDH-ES';
export const ENVELOPE_ENC = 'A256GCM';

/** Longest client secret we seal, counted in UTF-16 code units (JS `string.length`, as zod counts). */
export const MAX_SECRET_LENGTH = 1024;

/**
 * Longest binding value (runner id, host, key id). Binding values are 1–255 visible ASCII
 * characters: the comparisons are exact string equality, so we keep Unicode normalisation and
 * look-alike characters out of them. (Hosts are ASCII once normalised; punycode for IDNs.)
 */
export const MAX_BINDING_VALUE_LENGTH = 255;
const BINDING_VALUE_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * Largest envelope we accept. Worst case from the limits above:
 * ciphertext = 1024 code units × at most 3 UTF-8 bytes = 3072 bytes → 4096 base64url chars;
 * header ≈ 270 bytes fixed (incl. kid and epk) + 2 × 255 × 2 (JSON escaping of `"` and `\`)
 * ≈ 1290 bytes → 1720 chars; iv 16, tag 22, dots 4. Total ≈ 5860, so 8192 leaves room
 * and still keeps a request body small. A test seals the worst case and checks it fits.
 */
export const MAX_ENVELOPE_LENGTH = 8192;

/** Header members of version 1. Anything else (zip, crit, jku, …) is refused, not ignored. */
export const HEADER_MEMBERS: ReadonlySet<string> = new Set([
  'alg',
  'enc',
  'typ',
  'kid',
  'epk',
  'rc_v',
  'rc_rid',
  'rc_host',
  // Optional: the user a personal token was sealed for (absent for an admin's client secret).
  'rc_uid',
]);

/** What an envelope is bound to, read from its protected header. */
export type EnvelopeBinding = {
  kid: string;
  runnerId: string;
  host: string;
  /** The user a personal access token was sealed for; null for a client secret. */
  userId: string | null;
  version: number;
};

/** What the reader expects the envelope to be bound to. */
export type ExpectedBinding = {
  runnerId: string;
  kid: string;
  host: string;
  /**
   * The user a personal token must be sealed for. When absent, the envelope must carry no user:
   * a user's token is never accepted where a client secret is expected, nor the other way round.
   */
  userId?: string;
};

export function isBindingValue(value: unknown): value is string {
  return typeof value === 'string' && BINDING_VALUE_PATTERN.test(value);
}
