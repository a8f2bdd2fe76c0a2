import { compactDecrypt } from 'jose';
import type { CompactDecryptResult, CryptoKey, KeyObject } from 'jose';
import { EnvelopeError } from './envelope-error.ts';
import { ENVELOPE_ALG, ENVELOPE_ENC } from './envelope-format.ts';
import type { ExpectedBinding } from './envelope-format.ts';
import {
  checkEnvelopeBinding,
  compareEnvelopeBinding,
  readEnvelopeBinding,
} from './inspect-envelope.ts';
import { importRunnerPrivateKey } from './runner-key.ts';
import type { RunnerPrivateJwk } from './runner-key.ts';
import { checkSecret } from './seal-client-secret.ts';

export type OpenClientSecretInput = {
  envelope: unknown;
  /** The runner's private key: a CryptoKey or Node KeyObject, or the private JWK it stores. */
  privateKey: CryptoKey | KeyObject | RunnerPrivateJwk;
  /** The runner's own id, its current key id, and the host of the integration being used. */
  expected: ExpectedBinding;
};

/**
 * Decrypts a client secret on the runner. The binding is checked BEFORE decrypting, so an
 * envelope that a compromised BFF moved to another integration or host is refused outright;
 * decryption then proves the header (the AES-GCM additional data) was not changed.
 */
export async function openClientSecret(input: OpenClientSecretInput): Promise<string> {
  checkEnvelopeBinding(input.envelope, input.expected);
  const envelope = input.envelope as string; // checkEnvelopeBinding accepted it as a string
  const key = isJwk(input.privateKey)
    ? await importRunnerPrivateKey(input.privateKey)
    : input.privateKey;

  let result: CompactDecryptResult;
  try {
    result = await compactDecrypt(envelope, key, {
      keyManagementAlgorithms: [ENVELOPE_ALG],
      contentEncryptionAlgorithms: [ENVELOPE_ENC],
      maxDecompressedLength: 0, // never inflate; the header check already refuses `zip`
    });
  } catch (cause) {
    throw new EnvelopeError(
      'decrypt_failed',
      'The runner could not decrypt the client secret: it was changed, or encrypted to another key. Enter the client secret again.',
      { cause },
    );
  }

  // jose parsed the same bytes we checked, so this cannot differ; we check anyway so that the
  // header the secret was authenticated with is the one the binding was read from.
  compareEnvelopeBinding(readEnvelopeBinding(result.protectedHeader), input.expected);

  return decodeSecret(result.plaintext);
}

function isJwk(key: OpenClientSecretInput['privateKey']): key is RunnerPrivateJwk {
  // CryptoKey and KeyObject have no `kty`; a JWK always has one.
  return typeof key === 'object' && key !== null && 'kty' in key;
}

function decodeSecret(plaintext: Uint8Array): string {
  let secret: string;
  try {
    secret = new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
  } catch (cause) {
    throw new EnvelopeError(
      'secret_invalid',
      'The decrypted client secret is not valid text. Enter the client secret again.',
      { cause },
    );
  }
  checkSecret(secret);
  return secret;
}
