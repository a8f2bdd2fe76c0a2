import { decodeProtectedHeader } from 'jose';
import { EnvelopeError } from './envelope-error.ts';
import {
  ENVELOPE_ALG,
  ENVELOPE_ENC,
  ENVELOPE_TYPE,
  ENVELOPE_VERSION,
  HEADER_MEMBERS,
  MAX_ENVELOPE_LENGTH,
  isBindingValue,
} from './envelope-format.ts';
import type { EnvelopeBinding, ExpectedBinding } from './envelope-format.ts';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
// A256GCM uses a 96-bit IV and a 128-bit tag: 16 and 22 base64url characters.
const IV_LENGTH = 16;
const TAG_LENGTH = 22;

const MALFORMED =
  'The encrypted client secret is damaged or incomplete. Enter the client secret again.';

/**
 * Checks the FORM of an envelope and reads its binding, without any key. This is all the BFF can
 * check; whether the ciphertext is genuine is only known to the runner when it decrypts.
 */
export function inspectEnvelope(envelope: unknown): EnvelopeBinding {
  return readEnvelopeBinding(readProtectedHeader(envelope));
}

/** inspectEnvelope, then each binding compared with what the reader expects. */
export function checkEnvelopeBinding(
  envelope: unknown,
  expected: ExpectedBinding,
): EnvelopeBinding {
  const binding = inspectEnvelope(envelope);
  compareEnvelopeBinding(binding, expected);
  return binding;
}

/** Splits the compact serialization and decodes its protected header. */
function readProtectedHeader(envelope: unknown): Record<string, unknown> {
  if (typeof envelope !== 'string' || envelope === '') {
    throw new EnvelopeError('envelope_malformed', MALFORMED);
  }
  // Size first, so nothing below works on an unbounded input.
  if (envelope.length > MAX_ENVELOPE_LENGTH) {
    throw new EnvelopeError(
      'envelope_too_large',
      `The encrypted client secret is longer than ${MAX_ENVELOPE_LENGTH} characters.`,
    );
  }
  const parts = envelope.split('.');
  if (parts.length !== 5 || !parts.every((part) => BASE64URL.test(part))) {
    throw new EnvelopeError('envelope_malformed', MALFORMED);
  }
  const [, encryptedKey, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  // ECDH-ES is direct key agreement: the content key is derived, never sent, so this part is empty.
  if (
    encryptedKey !== '' ||
    iv.length !== IV_LENGTH ||
    ciphertext === '' ||
    tag.length !== TAG_LENGTH
  ) {
    throw new EnvelopeError('envelope_malformed', MALFORMED);
  }
  try {
    return decodeProtectedHeader(envelope);
  } catch (cause) {
    throw new EnvelopeError('envelope_malformed', MALFORMED, { cause });
  }
}

/**
 * Reads the binding from a protected header that must be exactly version 1 of our format.
 * Also used on the header jose returns after decrypting, so both go through the same checks.
 */
export function readEnvelopeBinding(header: Record<string, unknown>): EnvelopeBinding {
  const unexpected = Object.keys(header).find((name) => !HEADER_MEMBERS.has(name));
  if (unexpected !== undefined) {
    throw new EnvelopeError(
      'envelope_unsupported',
      `The encrypted client secret uses an unsupported header parameter (${unexpected}).`,
    );
  }
  if (header.alg !== ENVELOPE_ALG) {
    throw new EnvelopeError(
      'envelope_unsupported',
      `The encrypted client secret must use alg ${ENVELOPE_ALG}.`,
    );
  }
  if (header.enc !== ENVELOPE_ENC) {
    throw new EnvelopeError(
      'envelope_unsupported',
      `The encrypted client secret must use enc ${ENVELOPE_ENC}.`,
    );
  }
  if (header.typ !== ENVELOPE_TYPE) {
    throw new EnvelopeError(
      'envelope_unsupported',
      `The encrypted value is not a client secret envelope (typ ${ENVELOPE_TYPE}).`,
    );
  }
  if (header.rc_v !== ENVELOPE_VERSION) {
    throw new EnvelopeError(
      'envelope_unsupported',
      `The encrypted client secret uses an unsupported format version. Reload the page and enter the secret again.`,
    );
  }
  const { kid, rc_rid: runnerId, rc_host: host } = header;
  if (!isBindingValue(kid) || !isBindingValue(runnerId) || !isBindingValue(host)) {
    throw new EnvelopeError('envelope_malformed', MALFORMED);
  }
  if (!isP256PublicJwk(header.epk)) {
    throw new EnvelopeError('envelope_malformed', MALFORMED);
  }
  const userId = header.rc_uid;
  if (userId !== undefined && !isBindingValue(userId)) {
    throw new EnvelopeError('envelope_malformed', MALFORMED);
  }
  return { kid, runnerId, host, userId: userId ?? null, version: ENVELOPE_VERSION };
}

/** The ephemeral public key: exactly kty, crv, x, y (a `d` here would be a sender's mistake). */
function isP256PublicJwk(epk: unknown): boolean {
  if (typeof epk !== 'object' || epk === null) return false;
  const { kty, crv, x, y, ...rest } = epk as Record<string, unknown>;
  return (
    kty === 'EC' &&
    crv === 'P-256' &&
    typeof x === 'string' &&
    typeof y === 'string' &&
    x !== '' &&
    y !== '' &&
    Object.keys(rest).length === 0
  );
}

/** One code per binding, so the caller can tell the admin exactly what to redo. */
export function compareEnvelopeBinding(binding: EnvelopeBinding, expected: ExpectedBinding): void {
  if (binding.runnerId !== expected.runnerId) {
    throw new EnvelopeError(
      'wrong_runner',
      'The client secret was encrypted for a different runner. Enter the client secret again.',
    );
  }
  if (binding.kid !== expected.kid) {
    throw new EnvelopeError(
      'wrong_key',
      'The client secret was encrypted to a key this runner no longer uses (the runner’s key has changed). Enter the client secret again.',
    );
  }
  if (binding.host !== expected.host) {
    throw new EnvelopeError(
      'wrong_host',
      `The client secret was encrypted for ${binding.host}, not ${expected.host}. Enter the client secret again.`,
    );
  }
  if (binding.userId !== (expected.userId ?? null)) {
    throw new EnvelopeError(
      'wrong_user',
      expected.userId === undefined
        ? 'This envelope holds a personal token, not a client secret. Enter the client secret again.'
        : 'The token was encrypted for a different user, or is not a personal token. Enter your token again.',
    );
  }
}
