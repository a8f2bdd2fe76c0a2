import { createRunnerKeyPair, openClientSecret } from '@runner-console/envelope';
import { describe, expect, it } from 'vitest';
import { SealClientSecretError, sealClientSecret } from './seal-client-secret.ts';

const SECRET = 'consumer-secret-for-the-runner-only';

describe('sealClientSecret (browser side)', () => {
  it('seals to the runner key so that only that runner, for that host, opens it', async () => {
    const keys = await createRunnerKeyPair();
    const envelope = await sealClientSecret({
      secret: SECRET,
      publicKey: keys.publicJwk,
      runnerId: 'runner-1',
      host: 'bitbucket.org',
    });
    expect(envelope).not.toContain(SECRET);
    await expect(
      openClientSecret({
        envelope,
        privateKey: keys.privateJwk,
        expected: { runnerId: 'runner-1', kid: keys.publicJwk.kid, host: 'bitbucket.org' },
      }),
    ).resolves.toBe(SECRET);
  });

  it('turns an unusable secret into a message for the admin', async () => {
    const keys = await createRunnerKeyPair();
    const sealing = sealClientSecret({
      secret: 'x'.repeat(5000),
      publicKey: keys.publicJwk,
      runnerId: 'runner-1',
      host: 'bitbucket.org',
    });
    await expect(sealing).rejects.toBeInstanceOf(SealClientSecretError);
    await expect(sealing).rejects.toThrow(/longer than/);
  });

  it('reports an unusable runner key as a reason to reopen the dialog', async () => {
    const sealing = sealClientSecret({
      secret: SECRET,
      publicKey: { kty: 'EC', crv: 'P-256', x: 'nope', y: 'nope', kid: 'k' },
      runnerId: 'runner-1',
      host: 'bitbucket.org',
    });
    await expect(sealing).rejects.toThrow(/open it again/);
  });
});
