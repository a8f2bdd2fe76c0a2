import type { Response } from 'express';

/** Error codes of RFC 6749 §5.2 that the token endpoint answers with. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'server_error';

/** A refusal of the token endpoint, answered as `{"error": "…", "error_description": "…"}`. */
export class OAuthError extends Error {
  override name = 'OAuthError';
  readonly status: number;

  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
  ) {
    super(`${code}: ${description}`);
    this.status = statusFor(code);
  }
}

/**
 * Bitbucket answers every refusal with 400, also a wrong client secret (`unauthorized_client`,
 * where RFC 6749 §5.2 would have `invalid_client` and 401).
 */
function statusFor(code: OAuthErrorCode): number {
  if (code === 'server_error') return 500;
  return 400;
}

export function sendOAuthError(res: Response, error: OAuthError): void {
  res.set('Cache-Control', 'no-store').set('Pragma', 'no-cache');
  res.status(error.status).json({ error: error.code, error_description: error.description });
}
