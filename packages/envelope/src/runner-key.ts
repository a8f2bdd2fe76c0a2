import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CryptoKey } from 'jose';
import { EnvelopeError } from './envelope-error.ts';
import { ENVELOPE_ALG } from './envelope-format.ts';

/**
 * A runner's public key as it arrives from elsewhere (the BFF's API, the runner's file).
 * Loosely typed on purpose: the checks below decide whether it is usable, so the contracts'
 * `RunnerPublicJwk` (which also allows OKP keys) can be passed as it is.
 */
export type RunnerPublicJwkLike = {
  kty: string;
  crv: string;
  x: string;
  y?: string | undefined;
  kid?: string | undefined;
};

/** The runner's private key as it stores it (file mode 0600). */
export type RunnerPrivateJwk = {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  d: string;
  kid: string;
};

export type RunnerKeyPair = {
  privateJwk: RunnerPrivateJwk;
  publicJwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string; kid: string };
};

// A P-256 coordinate or scalar is 32 bytes: 43 base64url characters without padding.
const P256_MEMBER = /^[A-Za-z0-9_-]{43}$/;

type P256PublicMembers = { kty: 'EC'; crv: 'P-256'; x: string; y: string };

/** Keeps only the members that define the key, after checking it is a P-256 public key. */
function readP256PublicMembers(jwk: unknown): P256PublicMembers {
  if (typeof jwk !== 'object' || jwk === null) {
    throw new EnvelopeError(
      'key_invalid',
      'The runner has no usable public key. Restart the runner so it registers its key again.',
    );
  }
  const { kty, crv, x, y } = jwk as Record<string, unknown>;
  if (kty !== 'EC' || crv !== 'P-256') {
    throw new EnvelopeError(
      'key_invalid',
      'The runner’s public key is not a P-256 key. Update the runner so it registers a supported key.',
    );
  }
  if (
    typeof x !== 'string' ||
    typeof y !== 'string' ||
    !P256_MEMBER.test(x) ||
    !P256_MEMBER.test(y)
  ) {
    throw new EnvelopeError(
      'key_invalid',
      'The runner’s public key is damaged. Restart the runner so it registers its key again.',
    );
  }
  return { kty, crv, x, y };
}

/** RFC 7638 thumbprint (SHA-256) of the public key: the runner's key id. */
export async function computeKeyId(publicJwk: RunnerPublicJwkLike): Promise<string> {
  return calculateJwkThumbprint(readP256PublicMembers(publicJwk), 'sha256');
}

/**
 * Checks that a public JWK carries its own thumbprint as kid and imports it for ECDH-ES.
 * Refusing a kid that is not the thumbprint means the kid in an envelope always names exactly
 * one key, so "encrypted to the runner's current key" can be checked by comparing strings.
 */
export async function importRunnerPublicKey(
  publicJwk: RunnerPublicJwkLike,
): Promise<{ key: CryptoKey; kid: string }> {
  const members = readP256PublicMembers(publicJwk);
  if (typeof publicJwk.kid !== 'string' || publicJwk.kid === '') {
    throw new EnvelopeError(
      'key_invalid',
      'The runner’s public key has no key id. Restart the runner so it registers its key again.',
    );
  }
  const thumbprint = await calculateJwkThumbprint(members, 'sha256');
  if (publicJwk.kid !== thumbprint) {
    throw new EnvelopeError(
      'key_invalid',
      'The runner’s public key id does not match the key. Restart the runner so it registers its key again.',
    );
  }
  return { key: await importP256(members, 'public'), kid: thumbprint };
}

function readP256PrivateMembers(jwk: unknown): P256PublicMembers & { d: string } {
  const members = readP256PublicMembers(jwk);
  const { d } = jwk as Record<string, unknown>;
  if (typeof d !== 'string' || !P256_MEMBER.test(d)) {
    throw new EnvelopeError(
      'key_invalid',
      'The runner’s private key is damaged or is not a private key.',
    );
  }
  return { ...members, d };
}

/** Imports the runner's stored private JWK (only the members that define the key). */
export async function importRunnerPrivateKey(privateJwk: unknown): Promise<CryptoKey> {
  return importP256(readP256PrivateMembers(privateJwk), 'private');
}

async function importP256(
  jwk: P256PublicMembers & { d?: string },
  which: 'public' | 'private',
): Promise<CryptoKey> {
  try {
    // WebCrypto also checks that the point is on the curve, here and not at first use.
    return await importJWK(jwk, ENVELOPE_ALG);
  } catch (cause) {
    const message =
      which === 'public'
        ? 'The runner’s public key could not be read. Restart the runner so it registers its key again.'
        : 'The runner’s private key could not be read.';
    throw new EnvelopeError('key_invalid', message, { cause });
  }
}

/** Creates the runner's key pair. The private key is extractable so the runner can store it. */
export async function createRunnerKeyPair(): Promise<RunnerKeyPair> {
  const { privateKey } = await generateKeyPair(ENVELOPE_ALG, { crv: 'P-256', extractable: true });
  // A private EC JWK carries the public point (x, y) too, so one export gives both halves.
  const { d, ...members } = readP256PrivateMembers(await exportJWK(privateKey));
  const kid = await calculateJwkThumbprint(members, 'sha256');
  return {
    privateJwk: { ...members, d, kid },
    publicJwk: { ...members, kid },
  };
}
