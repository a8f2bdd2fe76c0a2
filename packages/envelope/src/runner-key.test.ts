import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { refusal } from './envelope-test-fixtures.ts';
import {
  computeKeyId,
  createRunnerKeyPair,
  importRunnerPrivateKey,
  importRunnerPublicKey,
} from './runner-key.ts';

describe('createRunnerKeyPair', () => {
  it('creates a P-256 pair whose kid is the RFC 7638 thumbprint of the public key', async () => {
    const { privateJwk, publicJwk } = await createRunnerKeyPair();
    expect(publicJwk).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: expect.any(String),
      y: expect.any(String),
      kid: expect.any(String),
    });
    expect(publicJwk).not.toHaveProperty('d');
    expect(privateJwk).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      x: publicJwk.x,
      y: publicJwk.y,
      kid: publicJwk.kid,
    });
    expect(privateJwk.d).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(publicJwk.kid).toBe(
      await calculateJwkThumbprint(
        { kty: 'EC', crv: 'P-256', x: publicJwk.x, y: publicJwk.y },
        'sha256',
      ),
    );
  });

  it('creates a different key each time', async () => {
    const [one, two] = await Promise.all([createRunnerKeyPair(), createRunnerKeyPair()]);
    expect(one.publicJwk.kid).not.toBe(two.publicJwk.kid);
  });
});

describe('computeKeyId', () => {
  it('ignores members that are not part of the thumbprint (kid, alg, use)', async () => {
    const { publicJwk } = await createRunnerKeyPair();
    expect(
      await computeKeyId({
        ...publicJwk,
        kid: 'something-else',
        alg: 'ECDH-ES',
        use: 'enc',
      } as typeof publicJwk),
    ).toBe(publicJwk.kid);
  });

  it('refuses a key that is not an object', async () => {
    expect((await refusal(() => computeKeyId(null as never))).code).toBe('key_invalid');
  });

  it('refuses an OKP key', async () => {
    const error = await refusal(() =>
      computeKeyId({ kty: 'OKP', crv: 'X25519', x: 'A'.repeat(43), kid: 'k' }),
    );
    expect(error.code).toBe('key_invalid');
    expect(error.message).toMatch(/not a P-256 key/);
  });

  it('refuses an EC key on another curve', async () => {
    expect(
      (
        await refusal(() =>
          computeKeyId({ kty: 'EC', crv: 'P-384', x: 'A'.repeat(64), y: 'A'.repeat(64) }),
        )
      ).code,
    ).toBe('key_invalid');
  });

  it('refuses a key without y or with coordinates of the wrong size', async () => {
    expect(
      (await refusal(() => computeKeyId({ kty: 'EC', crv: 'P-256', x: 'A'.repeat(43) }))).code,
    ).toBe('key_invalid');
    expect(
      (
        await refusal(() =>
          computeKeyId({ kty: 'EC', crv: 'P-256', x: 'A'.repeat(42), y: 'A'.repeat(43) }),
        )
      ).code,
    ).toBe('key_invalid');
  });
});

describe('importRunnerPublicKey', () => {
  it('refuses a point that is not on the curve', async () => {
    // Well-formed members, but (0…0, 0…1) is not a P-256 point; WebCrypto refuses it on import.
    const x = 'A'.repeat(43);
    const y = 'A'.repeat(42) + 'E';
    const kid = await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x, y }, 'sha256');
    const error = await refusal(() =>
      importRunnerPublicKey({ kty: 'EC', crv: 'P-256', x, y, kid }),
    );
    expect(error.code).toBe('key_invalid');
    expect(error.message).toMatch(/could not be read/);
  });
});

describe('importRunnerPrivateKey', () => {
  it('imports the stored private JWK', async () => {
    const { privateJwk } = await createRunnerKeyPair();
    const key = await importRunnerPrivateKey(privateJwk);
    expect(key.type).toBe('private');
    expect(key.extractable).toBe(false);
  });

  it('refuses a public JWK where a private one is needed', async () => {
    const { publicJwk } = await createRunnerKeyPair();
    const error = await refusal(() => importRunnerPrivateKey(publicJwk));
    expect(error.code).toBe('key_invalid');
    expect(error.message).toMatch(/not a private key/);
  });

  it('refuses a private scalar that does not belong to the public point', async () => {
    const { privateJwk } = await createRunnerKeyPair();
    const other = await createRunnerKeyPair();
    const error = await refusal(() =>
      importRunnerPrivateKey({ ...privateJwk, d: other.privateJwk.d }),
    );
    expect(error.code).toBe('key_invalid');
  });
});
