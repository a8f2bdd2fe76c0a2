import { createHash } from 'node:crypto';
import { constantTimeEquals } from './opaque-token.ts';

/** RFC 7636 §4.1: 43–128 characters from the unreserved set. */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** A base64url SHA-256 digest without padding is always 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export type PkceMethod = 'S256';

export function isCodeChallenge(value: string): boolean {
  return S256_CHALLENGE.test(value);
}

/** BASE64URL(SHA256(verifier)), RFC 7636 §4.2. */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * Whether a code_verifier matches the code_challenge sent to /authorize (S256 only; the
 * emulators refuse "plain", as GitHub does).
 */
export function verifyCodeVerifier(verifier: string, challenge: string): boolean {
  return CODE_VERIFIER.test(verifier) && constantTimeEquals(s256Challenge(verifier), challenge);
}
