/**
 * Every refusal in this package is an EnvelopeError whose `code` names the check that failed
 * (panva/jose style: a code for the program, a message for the person).
 * Messages are written for an org admin and never contain the secret.
 */
export type EnvelopeErrorCode =
  | 'envelope_malformed'
  | 'envelope_too_large'
  | 'envelope_unsupported'
  | 'wrong_runner'
  | 'wrong_key'
  | 'wrong_host'
  | 'wrong_user'
  | 'decrypt_failed'
  | 'secret_invalid'
  | 'key_invalid';

export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
  readonly code: EnvelopeErrorCode;

  constructor(code: EnvelopeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
