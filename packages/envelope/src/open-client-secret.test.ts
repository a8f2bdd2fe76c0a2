import { createPrivateKey } from 'node:crypto';
import { CompactEncrypt, decodeProtectedHeader, importJWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BITBUCKET,
  RUNNER_A,
  RUNNER_B,
  SECRET,
  flipBit,
  refusal,
  runnerKeys,
  withHeader,
} from './envelope-test-fixtures.ts';
import type { RunnerKeyPair } from './runner-key.ts';
import { MAX_ENVELOPE_LENGTH, MAX_SECRET_LENGTH } from './envelope-format.ts';
import { openClientSecret } from './open-client-secret.ts';
import { sealClientSecret } from './seal-client-secret.ts';

let a: RunnerKeyPair;
let b: RunnerKeyPair;
let aRotated: RunnerKeyPair;
let envelope: string; // sealed for runner A, A's current key, bitbucket.org
let expectedA: { runnerId: string; kid: string; host: string };

beforeAll(async () => {
  ({ a, b, aRotated } = await runnerKeys());
  expectedA = { runnerId: RUNNER_A, kid: a.publicJwk.kid, host: BITBUCKET };
  envelope = await sealClientSecret({
    secret: SECRET,
    publicJwk: a.publicJwk,
    runnerId: RUNNER_A,
    host: BITBUCKET,
  });
});

function openAsA(value: unknown, expected = expectedA) {
  return openClientSecret({ envelope: value, privateKey: a.privateJwk, expected });
}

/** Seals arbitrary bytes with a correct header, as a buggy or hostile sealer could. */
async function sealRawBytes(plaintext: Uint8Array) {
  return new CompactEncrypt(plaintext)
    .setProtectedHeader({
      alg: 'ECDH-ES',
      enc: 'A256GCM',
      typ: 'rc-client-secret+jwe',
      kid: a.publicJwk.kid,
      rc_v: 1,
      rc_rid: RUNNER_A,
      rc_host: BITBUCKET,
    })
    .encrypt(await importJWK(a.publicJwk, 'ECDH-ES'));
}

describe('openClientSecret', () => {
  describe('round trip', () => {
    it('with the private JWK the runner stores', async () => {
      expect(await openAsA(envelope)).toBe(SECRET);
    });

    it('with a WebCrypto CryptoKey', async () => {
      const key = await importJWK(a.privateJwk, 'ECDH-ES');
      expect(await openClientSecret({ envelope, privateKey: key, expected: expectedA })).toBe(
        SECRET,
      );
    });

    it('with a Node KeyObject', async () => {
      const key = createPrivateKey({ key: a.privateJwk, format: 'jwk' });
      expect(await openClientSecret({ envelope, privateKey: key, expected: expectedA })).toBe(
        SECRET,
      );
    });
  });

  describe('binding, checked before decrypting', () => {
    it('wrong_runner when runner B is asked to open runner A’s envelope', async () => {
      const error = await refusal(() => openAsA(envelope, { ...expectedA, runnerId: RUNNER_B }));
      expect(error.code).toBe('wrong_runner');
    });

    it('wrong_host when the envelope for bitbucket.org is used for gitlab.com', async () => {
      expect(
        (await refusal(() => openAsA(envelope, { ...expectedA, host: 'gitlab.com' }))).code,
      ).toBe('wrong_host');
    });

    it('wrong_key when the runner has rotated its key since the secret was sealed', async () => {
      const error = await refusal(() =>
        openClientSecret({
          envelope,
          privateKey: aRotated.privateJwk,
          expected: { ...expectedA, kid: aRotated.publicJwk.kid },
        }),
      );
      expect(error.code).toBe('wrong_key');
    });

    it('refuses on the binding without touching the key at all', async () => {
      // An unusable key would fail with key_invalid if it were imported first.
      const error = await refusal(() =>
        openClientSecret({
          envelope,
          privateKey: { ...a.privateJwk, d: 'x' },
          expected: { ...expectedA, runnerId: RUNNER_B },
        }),
      );
      expect(error.code).toBe('wrong_runner');
    });
  });

  describe('decrypt_failed', () => {
    it('with another runner’s private key', async () => {
      const error = await refusal(() =>
        openClientSecret({ envelope, privateKey: b.privateJwk, expected: expectedA }),
      );
      expect(error.code).toBe('decrypt_failed');
      expect(error.message).not.toContain(SECRET);
    });

    it('when the header was re-encoded with another host (and the reader expects that host)', async () => {
      const tampered = withHeader(envelope, (h) => ({ ...h, rc_host: 'gitlab.com' }));
      expect(
        (await refusal(() => openAsA(tampered, { ...expectedA, host: 'gitlab.com' }))).code,
      ).toBe('decrypt_failed');
    });

    it('when a tampered header is caught by the binding check first (the reader expects the real host)', async () => {
      const tampered = withHeader(envelope, (h) => ({ ...h, rc_host: 'gitlab.com' }));
      expect((await refusal(() => openAsA(tampered))).code).toBe('wrong_host');
    });

    it('when the header is re-encoded with the same values in another order (it is the AAD, byte for byte)', async () => {
      const reordered = withHeader(envelope, ({ alg, ...rest }) => ({ ...rest, alg }));
      expect((await refusal(() => openAsA(reordered))).code).toBe('decrypt_failed');
    });

    it('when the header’s ephemeral key is swapped', async () => {
      const other = await sealClientSecret({
        secret: SECRET,
        publicJwk: a.publicJwk,
        runnerId: RUNNER_A,
        host: BITBUCKET,
      });
      const otherEpk = decodeProtectedHeader(other).epk;
      expect(
        (await refusal(() => openAsA(withHeader(envelope, (h) => ({ ...h, epk: otherEpk }))))).code,
      ).toBe('decrypt_failed');
    });

    it('for a bit flip in the ciphertext', async () => {
      expect((await refusal(() => openAsA(flipBit(envelope, 3)))).code).toBe('decrypt_failed');
    });

    it('for a bit flip in the tag', async () => {
      expect((await refusal(() => openAsA(flipBit(envelope, 4)))).code).toBe('decrypt_failed');
    });

    it('for a bit flip in the iv', async () => {
      expect((await refusal(() => openAsA(flipBit(envelope, 2)))).code).toBe('decrypt_failed');
    });
  });

  describe('form', () => {
    it('envelope_malformed for a truncated envelope', async () => {
      expect((await refusal(() => openAsA(envelope.slice(0, -10)))).code).toBe(
        'envelope_malformed',
      );
    });

    it('envelope_too_large for an oversized envelope', async () => {
      expect((await refusal(() => openAsA('a'.repeat(MAX_ENVELOPE_LENGTH + 1)))).code).toBe(
        'envelope_too_large',
      );
    });

    it('envelope_unsupported for another alg or typ, before jose is asked', async () => {
      expect(
        (await refusal(() => openAsA(withHeader(envelope, (h) => ({ ...h, alg: 'RSA-OAEP-256' })))))
          .code,
      ).toBe('envelope_unsupported');
      expect(
        (await refusal(() => openAsA(withHeader(envelope, (h) => ({ ...h, typ: 'JWT' }))))).code,
      ).toBe('envelope_unsupported');
    });
  });

  describe('key_invalid', () => {
    it('for a stored private JWK that is damaged', async () => {
      expect(
        (
          await refusal(() =>
            openClientSecret({
              envelope,
              privateKey: { ...a.privateJwk, d: 'short' },
              expected: expectedA,
            }),
          )
        ).code,
      ).toBe('key_invalid');
    });

    it('for a public JWK passed as the private key', async () => {
      const error = await refusal(() =>
        openClientSecret({ envelope, privateKey: a.publicJwk as never, expected: expectedA }),
      );
      expect(error.code).toBe('key_invalid');
    });
  });

  describe('secret_invalid, for plaintext no honest sealer produces', () => {
    it('when the plaintext is not UTF-8', async () => {
      expect(
        (await refusal(async () => openAsA(await sealRawBytes(new Uint8Array([0xff, 0xfe]))))).code,
      ).toBe('secret_invalid');
    });

    it('when the plaintext is longer than MAX_SECRET_LENGTH', async () => {
      const tooLong = new TextEncoder().encode('s'.repeat(MAX_SECRET_LENGTH + 1));
      expect((await refusal(async () => openAsA(await sealRawBytes(tooLong)))).code).toBe(
        'secret_invalid',
      );
    });

    it('(an empty plaintext gives an empty ciphertext part, refused as malformed before decrypting)', async () => {
      expect((await refusal(async () => openAsA(await sealRawBytes(new Uint8Array())))).code).toBe(
        'envelope_malformed',
      );
    });
  });
});
