import { CompactEncrypt } from 'jose';
import { EnvelopeError } from './envelope-error.ts';
import {
  ENVELOPE_ALG,
  ENVELOPE_ENC,
  ENVELOPE_TYPE,
  ENVELOPE_VERSION,
  MAX_BINDING_VALUE_LENGTH,
  MAX_SECRET_LENGTH,
  isBindingValue,
} from './envelope-format.ts';
import { importRunnerPublicKey } from './runner-key.ts';
import type { RunnerPublicJwkLike } from './runner-key.ts';

export type SealClientSecretInput = {
  secret: string;
  publicJwk: RunnerPublicJwkLike;
  runnerId: string;
  host: string;
  /** For a user's personal access token: binds it to that user (`rc_uid`). Absent for a client secret. */
  userId?: string;
};

// With the `u` flag a surrogate range matches only unpaired surrogates, which UTF-8 cannot
// encode (TextEncoder would silently turn them into U+FFFD and the runner would get another secret).
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Encrypts the client secret to the runner's public key (in the admin's browser, or in the BFF
 * for API clients that send plaintext). The binding goes into the protected header, which
 * AES-GCM authenticates, so it cannot be moved to another runner, key or host.
 *
 * We use jose (JWE, ECDH-ES + A256GCM over WebCrypto) rather than hand-rolled crypto: the key
 * agreement, Concat KDF and AEAD are the reviewed, standard ones, in the browser and in Node.
 */
export async function sealClientSecret(input: SealClientSecretInput): Promise<string> {
  checkSecret(input.secret);
  checkBindingInput('runner id', input.runnerId);
  checkBindingInput('provider host', input.host);
  if (input.userId !== undefined) checkBindingInput('user id', input.userId);
  const { key, kid } = await importRunnerPublicKey(input.publicJwk);

  return new CompactEncrypt(new TextEncoder().encode(input.secret))
    .setProtectedHeader({
      alg: ENVELOPE_ALG,
      enc: ENVELOPE_ENC,
      typ: ENVELOPE_TYPE,
      kid,
      rc_v: ENVELOPE_VERSION,
      rc_rid: input.runnerId,
      rc_host: input.host,
      ...(input.userId !== undefined ? { rc_uid: input.userId } : {}),
    })
    .encrypt(key);
}

/** Shared with openClientSecret: a secret that could not have been sealed is not accepted either. */
export function checkSecret(secret: unknown): asserts secret is string {
  if (typeof secret !== 'string' || secret === '') {
    throw new EnvelopeError('secret_invalid', 'Enter the client secret.');
  }
  if (secret.length > MAX_SECRET_LENGTH) {
    throw new EnvelopeError(
      'secret_invalid',
      `The client secret is longer than ${MAX_SECRET_LENGTH} characters. Check that you pasted the Secret of the OAuth consumer.`,
    );
  }
  if (LONE_SURROGATE.test(secret)) {
    throw new EnvelopeError(
      'secret_invalid',
      'The client secret contains characters that cannot be encoded. Copy the Secret again.',
    );
  }
}

function checkBindingInput(what: string, value: unknown): void {
  if (!isBindingValue(value)) {
    // A caller's mistake rather than an admin's, but still refused before anything is encrypted.
    throw new EnvelopeError(
      'envelope_malformed',
      `The ${what} to bind the client secret to must be 1–${MAX_BINDING_VALUE_LENGTH} visible ASCII characters.`,
    );
  }
}
