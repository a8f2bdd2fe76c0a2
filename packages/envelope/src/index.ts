// The secret envelope: seal in the browser (or BFF), inspect in the BFF, open on the runner.
export { sealClientSecret } from './seal-client-secret.ts';
export type { SealClientSecretInput } from './seal-client-secret.ts';
export { openClientSecret } from './open-client-secret.ts';
export type { OpenClientSecretInput } from './open-client-secret.ts';
export { inspectEnvelope, checkEnvelopeBinding } from './inspect-envelope.ts';
export { createRunnerKeyPair, computeKeyId } from './runner-key.ts';
export type { RunnerPublicJwkLike, RunnerPrivateJwk, RunnerKeyPair } from './runner-key.ts';
export { EnvelopeError } from './envelope-error.ts';
export type { EnvelopeErrorCode } from './envelope-error.ts';
export {
  MAX_ENVELOPE_LENGTH,
  MAX_SECRET_LENGTH,
  ENVELOPE_TYPE,
  ENVELOPE_VERSION,
} from './envelope-format.ts';
export type { EnvelopeBinding, ExpectedBinding } from './envelope-format.ts';
