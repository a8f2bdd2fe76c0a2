import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { BITBUCKET, RUNNER_A, SECRET, refusal, runnerKeys } from './envelope-test-fixtures.ts';
import {
  MAX_BINDING_VALUE_LENGTH,
  MAX_ENVELOPE_LENGTH,
  MAX_SECRET_LENGTH,
} from './envelope-format.ts';
import { inspectEnvelope } from './inspect-envelope.ts';
import { sealClientSecret } from './seal-client-secret.ts';

async function sealForA(change: Partial<Parameters<typeof sealClientSecret>[0]> = {}) {
  const { a } = await runnerKeys();
  return sealClientSecret({
    secret: SECRET,
    publicJwk: a.publicJwk,
    runnerId: RUNNER_A,
    host: BITBUCKET,
    ...change,
  });
}

describe('sealClientSecret', () => {
  it('produces a compact JWE whose protected header carries the binding', async () => {
    const { a } = await runnerKeys();
    const envelope = await sealForA();
    expect(envelope.split('.')).toHaveLength(5);
    expect(envelope.split('.')[1]).toBe(''); // ECDH-ES: no encrypted key
    expect(envelope).not.toContain(SECRET);
    expect(decodeProtectedHeader(envelope)).toEqual({
      alg: 'ECDH-ES',
      enc: 'A256GCM',
      typ: 'rc-client-secret+jwe',
      kid: a.publicJwk.kid,
      rc_v: 1,
      rc_rid: RUNNER_A,
      rc_host: BITBUCKET,
      epk: { kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String) },
    });
  });

  it('uses a fresh ephemeral key each time, so the same secret never seals the same way twice', async () => {
    const [one, two] = await Promise.all([sealForA(), sealForA()]);
    expect(one).not.toBe(two);
    expect(decodeProtectedHeader(one).epk).not.toEqual(decodeProtectedHeader(two).epk);
  });

  it('fits the worst case (longest multi-byte secret, longest binding values) in MAX_ENVELOPE_LENGTH', async () => {
    const longest = '"'.repeat(MAX_BINDING_VALUE_LENGTH); // `"` doubles under JSON escaping
    const envelope = await sealForA({
      secret: '€'.repeat(MAX_SECRET_LENGTH),
      runnerId: longest,
      host: longest,
    });
    expect(envelope.length).toBeLessThanOrEqual(MAX_ENVELOPE_LENGTH);
    expect(inspectEnvelope(envelope)).toMatchObject({ runnerId: longest, host: longest });
  });

  it('accepts a secret of exactly MAX_SECRET_LENGTH characters', async () => {
    await expect(sealForA({ secret: 's'.repeat(MAX_SECRET_LENGTH) })).resolves.toEqual(
      expect.any(String),
    );
  });

  describe('refuses', () => {
    it('an empty secret', async () => {
      const error = await refusal(() => sealForA({ secret: '' }));
      expect(error.code).toBe('secret_invalid');
      expect(error.message).toBe('Enter the client secret.');
    });

    it('a secret that is not a string', async () => {
      expect((await refusal(() => sealForA({ secret: undefined as never }))).code).toBe(
        'secret_invalid',
      );
    });

    it('a secret over MAX_SECRET_LENGTH characters, without echoing it', async () => {
      const secret = 's'.repeat(MAX_SECRET_LENGTH + 1);
      const error = await refusal(() => sealForA({ secret }));
      expect(error.code).toBe('secret_invalid');
      expect(error.message).toMatch(/longer than 1024 characters/);
      expect(error.message).not.toContain('ssss');
    });

    it('a secret with an unpaired surrogate, which UTF-8 cannot carry', async () => {
      expect((await refusal(() => sealForA({ secret: 'abc\uD800' }))).code).toBe('secret_invalid');
    });

    it('a public key without kid', async () => {
      const { a } = await runnerKeys();
      const { kid: _kid, ...withoutKid } = a.publicJwk;
      const error = await refusal(() => sealForA({ publicJwk: withoutKid }));
      expect(error.code).toBe('key_invalid');
      expect(error.message).toMatch(/no key id/);
    });

    it('a kid that is not the thumbprint of the key', async () => {
      const { a, b } = await runnerKeys();
      const error = await refusal(() =>
        sealForA({ publicJwk: { ...a.publicJwk, kid: b.publicJwk.kid } }),
      );
      expect(error.code).toBe('key_invalid');
      expect(error.message).toMatch(/does not match the key/);
    });

    it('a key that is not P-256 EC', async () => {
      const error = await refusal(() =>
        sealForA({
          publicJwk: { kty: 'OKP', crv: 'X25519', x: 'A'.repeat(43), kid: 'abcdefghijk' },
        }),
      );
      expect(error.code).toBe('key_invalid');
    });

    it('an empty or non-ASCII runner id', async () => {
      expect((await refusal(() => sealForA({ runnerId: '' }))).code).toBe('envelope_malformed');
      expect((await refusal(() => sealForA({ runnerId: 'rünner' }))).code).toBe(
        'envelope_malformed',
      );
      expect((await refusal(() => sealForA({ runnerId: 'runner a' }))).code).toBe(
        'envelope_malformed',
      );
    });

    it('an empty or over-long host', async () => {
      expect((await refusal(() => sealForA({ host: '' }))).code).toBe('envelope_malformed');
      const error = await refusal(() =>
        sealForA({ host: 'h'.repeat(MAX_BINDING_VALUE_LENGTH + 1) }),
      );
      expect(error.code).toBe('envelope_malformed');
      expect(error.message).toMatch(/provider host/);
    });
  });
});
