// Shared by the *.test.ts files of this package; not part of its public entry.
import { base64url } from 'jose';
import { createRunnerKeyPair } from './runner-key.ts';
import type { RunnerKeyPair } from './runner-key.ts';
import { EnvelopeError } from './envelope-error.ts';

export const SECRET = 'bb-oauth-secret-7Hq2xZ9pLw4Rk8Vn';
export const RUNNER_A = 'runner-a-0001';
export const RUNNER_B = 'runner-b-0002';
export const BITBUCKET = 'bitbucket.org';

let keyPairs: Promise<{ a: RunnerKeyPair; b: RunnerKeyPair; aRotated: RunnerKeyPair }> | undefined;

/** Three key pairs, made once per test file: runner A, runner B, and A's next key after rotation. */
export function runnerKeys() {
  keyPairs ??= Promise.all([
    createRunnerKeyPair(),
    createRunnerKeyPair(),
    createRunnerKeyPair(),
  ]).then(([a, b, aRotated]) => ({
    a,
    b,
    aRotated,
  }));
  return keyPairs;
}

/** Replaces the protected header (part 1) and keeps the other four parts as they are. */
export function withHeader(
  envelope: string,
  change: (header: Record<string, unknown>) => Record<string, unknown>,
): string {
  const [encoded, ...rest] = envelope.split('.');
  const header = JSON.parse(new TextDecoder().decode(base64url.decode(encoded ?? ''))) as Record<
    string,
    unknown
  >;
  return [base64url.encode(JSON.stringify(change(header))), ...rest].join('.');
}

/** Flips the lowest bit of the first byte of one part (2 = iv, 3 = ciphertext, 4 = tag). */
export function flipBit(envelope: string, partIndex: 2 | 3 | 4): string {
  const parts = envelope.split('.');
  const bytes = base64url.decode(parts[partIndex] ?? '');
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  parts[partIndex] = base64url.encode(bytes);
  return parts.join('.');
}

/** Runs `action` and returns the EnvelopeError it throws (fails the test if it does not throw one). */
export async function refusal(action: () => unknown): Promise<EnvelopeError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof EnvelopeError) return error;
    throw error;
  }
  throw new Error('expected an EnvelopeError, but nothing was thrown');
}
