// The header jose returns is parsed from the same bytes inspectEnvelope checked, so it cannot
// differ. openClientSecret checks it anyway; this file stands jose in with a double to prove that
// check refuses, as every branch of a security check gets a test.
import type * as Jose from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BITBUCKET, RUNNER_A, SECRET, refusal, runnerKeys } from './envelope-test-fixtures.ts';
import type { RunnerKeyPair } from './runner-key.ts';
import { openClientSecret } from './open-client-secret.ts';
import { sealClientSecret } from './seal-client-secret.ts';

const decryptedHeader = vi.hoisted(() => ({ change: (header: Record<string, unknown>) => header }));

vi.mock('jose', async (importOriginal) => {
  const jose = await importOriginal<typeof Jose>();
  return {
    ...jose,
    compactDecrypt: async (...args: Parameters<typeof Jose.compactDecrypt>) => {
      const result = await jose.compactDecrypt(...args);
      return { ...result, protectedHeader: decryptedHeader.change(result.protectedHeader) };
    },
  };
});

let a: RunnerKeyPair;
let envelope: string;
beforeAll(async () => {
  ({ a } = await runnerKeys());
  envelope = await sealClientSecret({
    secret: SECRET,
    publicJwk: a.publicJwk,
    runnerId: RUNNER_A,
    host: BITBUCKET,
  });
});

function open() {
  return openClientSecret({
    envelope,
    privateKey: a.privateJwk,
    expected: { runnerId: RUNNER_A, kid: a.publicJwk.kid, host: BITBUCKET },
  });
}

describe('openClientSecret re-checks the header it decrypted with', () => {
  it('opens when it is the checked header', async () => {
    decryptedHeader.change = (header) => header;
    expect(await open()).toBe(SECRET);
  });

  it('refuses when its host differs from the checked one', async () => {
    decryptedHeader.change = (header) => ({ ...header, rc_host: 'evil.example' });
    expect((await refusal(open)).code).toBe('wrong_host');
  });

  it('refuses when it is not our format', async () => {
    decryptedHeader.change = (header) => ({ ...header, typ: 'JWT' });
    expect((await refusal(open)).code).toBe('envelope_unsupported');
  });
});
