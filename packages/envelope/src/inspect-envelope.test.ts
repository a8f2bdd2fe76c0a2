import { base64url } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BITBUCKET,
  RUNNER_A,
  RUNNER_B,
  SECRET,
  refusal,
  runnerKeys,
  withHeader,
} from './envelope-test-fixtures.ts';
import { MAX_ENVELOPE_LENGTH } from './envelope-format.ts';
import { checkEnvelopeBinding, inspectEnvelope } from './inspect-envelope.ts';
import { sealClientSecret } from './seal-client-secret.ts';

let envelope: string;
let kidA: string;
let kidARotated: string;

beforeAll(async () => {
  const { a, aRotated } = await runnerKeys();
  kidA = a.publicJwk.kid;
  kidARotated = aRotated.publicJwk.kid;
  envelope = await sealClientSecret({
    secret: SECRET,
    publicJwk: a.publicJwk,
    runnerId: RUNNER_A,
    host: BITBUCKET,
  });
});

function replacePart(index: number, value: string): string {
  const parts = envelope.split('.');
  parts[index] = value;
  return parts.join('.');
}

function codeOf(action: () => unknown) {
  return refusal(action).then((error) => error.code);
}

describe('inspectEnvelope', () => {
  it('reads the binding without any key', () => {
    expect(inspectEnvelope(envelope)).toEqual({
      kid: kidA,
      runnerId: RUNNER_A,
      host: BITBUCKET,
      userId: null,
      version: 1,
    });
  });

  describe('envelope_malformed', () => {
    it('for a value that is not a string', async () => {
      for (const value of [undefined, null, 42, {}, [envelope]]) {
        expect(await codeOf(() => inspectEnvelope(value))).toBe('envelope_malformed');
      }
    });

    it('for an empty string', async () => {
      expect(await codeOf(() => inspectEnvelope(''))).toBe('envelope_malformed');
    });

    it('for a truncated envelope', async () => {
      expect(await codeOf(() => inspectEnvelope(envelope.split('.').slice(0, 4).join('.')))).toBe(
        'envelope_malformed',
      );
      expect(await codeOf(() => inspectEnvelope(envelope.slice(0, envelope.length / 2)))).toBe(
        'envelope_malformed',
      );
    });

    it('for a JWS-shaped (3-part) or 6-part value', async () => {
      expect(await codeOf(() => inspectEnvelope('a.b.c'))).toBe('envelope_malformed');
      expect(await codeOf(() => inspectEnvelope(`${envelope}.x`))).toBe('envelope_malformed');
    });

    it('for characters outside base64url', async () => {
      expect(await codeOf(() => inspectEnvelope(envelope.replace(/.$/, '=')))).toBe(
        'envelope_malformed',
      );
      expect(await codeOf(() => inspectEnvelope(replacePart(3, 'ab+/')))).toBe(
        'envelope_malformed',
      );
    });

    it('for a non-empty encrypted key part (not ECDH-ES direct)', async () => {
      expect(await codeOf(() => inspectEnvelope(replacePart(1, 'AAAA')))).toBe(
        'envelope_malformed',
      );
    });

    it('for an iv or tag of the wrong size, or an empty ciphertext', async () => {
      expect(await codeOf(() => inspectEnvelope(replacePart(2, 'AAAA')))).toBe(
        'envelope_malformed',
      );
      expect(await codeOf(() => inspectEnvelope(replacePart(4, 'AAAA')))).toBe(
        'envelope_malformed',
      );
      expect(await codeOf(() => inspectEnvelope(replacePart(3, '')))).toBe('envelope_malformed');
    });

    it('for a header that is not base64url JSON of an object', async () => {
      expect(await codeOf(() => inspectEnvelope(replacePart(0, '')))).toBe('envelope_malformed');
      expect(
        await codeOf(() => inspectEnvelope(replacePart(0, base64url.encode('not json')))),
      ).toBe('envelope_malformed');
      expect(await codeOf(() => inspectEnvelope(replacePart(0, base64url.encode('[1,2]'))))).toBe(
        'envelope_malformed',
      );
    });

    it('for a missing or empty kid, runner id or host', async () => {
      for (const name of ['kid', 'rc_rid', 'rc_host']) {
        const without = withHeader(envelope, ({ [name]: _dropped, ...rest }) => rest);
        expect(await codeOf(() => inspectEnvelope(without))).toBe('envelope_malformed');
        expect(
          await codeOf(() => inspectEnvelope(withHeader(envelope, (h) => ({ ...h, [name]: '' })))),
        ).toBe('envelope_malformed');
      }
      expect(
        await codeOf(() => inspectEnvelope(withHeader(envelope, (h) => ({ ...h, rc_rid: 7 })))),
      ).toBe('envelope_malformed');
    });

    it('for a missing epk, or an epk that is not a bare P-256 public key', async () => {
      expect(
        await codeOf(() => inspectEnvelope(withHeader(envelope, ({ epk: _epk, ...rest }) => rest))),
      ).toBe('envelope_malformed');
      expect(
        await codeOf(() => inspectEnvelope(withHeader(envelope, (h) => ({ ...h, epk: 'key' })))),
      ).toBe('envelope_malformed');
      const withCurve = (crv: string) =>
        withHeader(envelope, (h) => ({ ...h, epk: { ...(h.epk as object), crv } }));
      expect(await codeOf(() => inspectEnvelope(withCurve('P-384')))).toBe('envelope_malformed');
      const withD = withHeader(envelope, (h) => ({
        ...h,
        epk: { ...(h.epk as object), d: 'AAAA' },
      }));
      expect(await codeOf(() => inspectEnvelope(withD))).toBe('envelope_malformed');
    });
  });

  it('envelope_too_large for anything over MAX_ENVELOPE_LENGTH, before parsing', async () => {
    const error = await refusal(() => inspectEnvelope('a'.repeat(MAX_ENVELOPE_LENGTH + 1)));
    expect(error.code).toBe('envelope_too_large');
    expect(error.message).toMatch(/8192/);
    const padded = replacePart(3, envelope.split('.')[3] + 'A'.repeat(MAX_ENVELOPE_LENGTH));
    expect(await codeOf(() => inspectEnvelope(padded))).toBe('envelope_too_large');
  });

  describe('envelope_unsupported', () => {
    it('for another alg', async () => {
      const error = await refusal(() =>
        inspectEnvelope(withHeader(envelope, (h) => ({ ...h, alg: 'ECDH-ES+A256KW' }))),
      );
      expect(error.code).toBe('envelope_unsupported');
      expect(error.message).toMatch(/alg ECDH-ES/);
      expect(
        await codeOf(() => inspectEnvelope(withHeader(envelope, (h) => ({ ...h, alg: 'dir' })))),
      ).toBe('envelope_unsupported');
    });

    it('for another enc', async () => {
      const error = await refusal(() =>
        inspectEnvelope(withHeader(envelope, (h) => ({ ...h, enc: 'A128GCM' }))),
      );
      expect(error.code).toBe('envelope_unsupported');
      expect(error.message).toMatch(/enc A256GCM/);
    });

    it('for another or missing typ', async () => {
      expect(
        await codeOf(() => inspectEnvelope(withHeader(envelope, (h) => ({ ...h, typ: 'JWT' })))),
      ).toBe('envelope_unsupported');
      expect(
        await codeOf(() => inspectEnvelope(withHeader(envelope, ({ typ: _typ, ...rest }) => rest))),
      ).toBe('envelope_unsupported');
    });

    it('for another or missing format version', async () => {
      expect(
        await codeOf(() => inspectEnvelope(withHeader(envelope, (h) => ({ ...h, rc_v: 2 })))),
      ).toBe('envelope_unsupported');
      expect(
        await codeOf(() => inspectEnvelope(withHeader(envelope, (h) => ({ ...h, rc_v: '1' })))),
      ).toBe('envelope_unsupported');
      expect(
        await codeOf(() => inspectEnvelope(withHeader(envelope, ({ rc_v: _v, ...rest }) => rest))),
      ).toBe('envelope_unsupported');
    });

    it('for any header member outside the format (zip, crit, jku, …)', async () => {
      for (const extra of [
        { zip: 'DEF' },
        { crit: ['rc_v'] },
        { jku: 'https://evil.example/jwks' },
        { rc_extra: 1 },
      ]) {
        const error = await refusal(() =>
          inspectEnvelope(withHeader(envelope, (h) => ({ ...h, ...extra }))),
        );
        expect(error.code).toBe('envelope_unsupported');
        expect(error.message).toContain(`(${Object.keys(extra)[0]})`);
      }
    });
  });
});

describe('checkEnvelopeBinding', () => {
  it('answers the binding when runner, key and host all match', () => {
    expect(
      checkEnvelopeBinding(envelope, { runnerId: RUNNER_A, kid: kidA, host: BITBUCKET }),
    ).toEqual({
      kid: kidA,
      runnerId: RUNNER_A,
      host: BITBUCKET,
      userId: null,
      version: 1,
    });
  });

  it('wrong_runner for an envelope sealed for another runner', async () => {
    const error = await refusal(() =>
      checkEnvelopeBinding(envelope, { runnerId: RUNNER_B, kid: kidA, host: BITBUCKET }),
    );
    expect(error.code).toBe('wrong_runner');
    expect(error.message).toMatch(/different runner/);
  });

  it('wrong_key for an envelope sealed to a key the runner has since rotated', async () => {
    const error = await refusal(() =>
      checkEnvelopeBinding(envelope, { runnerId: RUNNER_A, kid: kidARotated, host: BITBUCKET }),
    );
    expect(error.code).toBe('wrong_key');
    expect(error.message).toMatch(/key has changed/);
  });

  it('wrong_host for an envelope sealed for another host', async () => {
    const error = await refusal(() =>
      checkEnvelopeBinding(envelope, { runnerId: RUNNER_A, kid: kidA, host: 'gitlab.com' }),
    );
    expect(error.code).toBe('wrong_host');
    expect(error.message).toBe(
      'The client secret was encrypted for bitbucket.org, not gitlab.com. Enter the client secret again.',
    );
  });

  it('compares exactly: no case folding of the host', async () => {
    expect(
      await codeOf(() =>
        checkEnvelopeBinding(envelope, { runnerId: RUNNER_A, kid: kidA, host: 'Bitbucket.org' }),
      ),
    ).toBe('wrong_host');
  });

  it('checks form before binding', async () => {
    expect(
      await codeOf(() =>
        checkEnvelopeBinding('nope', { runnerId: RUNNER_A, kid: kidA, host: BITBUCKET }),
      ),
    ).toBe('envelope_malformed');
  });
});
