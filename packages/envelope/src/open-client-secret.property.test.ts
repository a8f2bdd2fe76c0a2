import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { BITBUCKET, RUNNER_A, runnerKeys } from './envelope-test-fixtures.ts';
import type { RunnerKeyPair } from './runner-key.ts';
import { MAX_SECRET_LENGTH } from './envelope-format.ts';
import { openClientSecret } from './open-client-secret.ts';
import { sealClientSecret } from './seal-client-secret.ts';

let a: RunnerKeyPair;
beforeAll(async () => {
  ({ a } = await runnerKeys());
});

describe('seal → open', () => {
  it('returns any unicode secret unchanged', async () => {
    // 'binary' yields any code point (astral ones too), never a lone surrogate.
    const secrets = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 300 })
      .filter((s) => s.length <= MAX_SECRET_LENGTH);
    await fc.assert(
      fc.asyncProperty(secrets, async (secret) => {
        const envelope = await sealClientSecret({
          secret,
          publicJwk: a.publicJwk,
          runnerId: RUNNER_A,
          host: BITBUCKET,
        });
        const opened = await openClientSecret({
          envelope,
          privateKey: a.privateJwk,
          expected: { runnerId: RUNNER_A, kid: a.publicJwk.kid, host: BITBUCKET },
        });
        expect(opened).toBe(secret);
      }),
      { numRuns: 50 },
    );
  });
});
