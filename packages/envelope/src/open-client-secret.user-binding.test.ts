import { describe, expect, it } from 'vitest';
import { BITBUCKET, RUNNER_A, RUNNER_B, SECRET, refusal, runnerKeys, withHeader } from './envelope-test-fixtures.ts';
import { checkEnvelopeBinding, inspectEnvelope } from './inspect-envelope.ts';
import { openClientSecret } from './open-client-secret.ts';
import { sealClientSecret } from './seal-client-secret.ts';

// A developer's personal access token is sealed like a client secret, and also bound to the user.
describe('user binding (rc_uid) for personal tokens', () => {
  async function sealForUser(userId: string, runnerId = RUNNER_A) {
    const { a, b } = await runnerKeys();
    const key = runnerId === RUNNER_A ? a : b;
    return { key, envelope: await sealClientSecret({ secret: SECRET, publicJwk: key.publicJwk, runnerId, host: BITBUCKET, userId }) };
  }

  it('opens for the user it was sealed for', async () => {
    const { key, envelope } = await sealForUser('user-1');
    expect(inspectEnvelope(envelope).userId).toBe('user-1');
    const opened = await openClientSecret({ envelope, privateKey: key.privateJwk, expected: { runnerId: RUNNER_A, kid: key.publicJwk.kid, host: BITBUCKET, userId: 'user-1' } });
    expect(opened).toBe(SECRET);
  });

  it('refuses it for another user', async () => {
    const { key, envelope } = await sealForUser('user-1');
    const error = await refusal(() => openClientSecret({ envelope, privateKey: key.privateJwk, expected: { runnerId: RUNNER_A, kid: key.publicJwk.kid, host: BITBUCKET, userId: 'user-2' } }));
    expect(error.code).toBe('wrong_user');
  });

  it('refuses it for another runner, before the user is even compared', async () => {
    const { envelope } = await sealForUser('user-1', RUNNER_B);
    const { a } = await runnerKeys();
    const error = await refusal(() => openClientSecret({ envelope, privateKey: a.privateJwk, expected: { runnerId: RUNNER_A, kid: a.publicJwk.kid, host: BITBUCKET, userId: 'user-1' } }));
    expect(error.code).toBe('wrong_runner');
  });

  it('refuses a personal token where a client secret is expected, and a client secret where a token is', async () => {
    const { key, envelope } = await sealForUser('user-1');
    const asSecret = await refusal(() => checkEnvelopeBinding(envelope, { runnerId: RUNNER_A, kid: key.publicJwk.kid, host: BITBUCKET }));
    expect(asSecret.code).toBe('wrong_user');
    const secret = await sealClientSecret({ secret: SECRET, publicJwk: key.publicJwk, runnerId: RUNNER_A, host: BITBUCKET });
    const asToken = await refusal(() => checkEnvelopeBinding(secret, { runnerId: RUNNER_A, kid: key.publicJwk.kid, host: BITBUCKET, userId: 'user-1' }));
    expect(asToken.code).toBe('wrong_user');
  });

  it('refuses a header whose user was changed after sealing (decryption fails)', async () => {
    const { key, envelope } = await sealForUser('user-1');
    const moved = withHeader(envelope, (header) => ({ ...header, rc_uid: 'user-2' }));
    const error = await refusal(() => openClientSecret({ envelope: moved, privateKey: key.privateJwk, expected: { runnerId: RUNNER_A, kid: key.publicJwk.kid, host: BITBUCKET, userId: 'user-2' } }));
    expect(error.code).toBe('decrypt_failed');
  });
});
