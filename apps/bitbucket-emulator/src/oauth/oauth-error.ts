import type { Response } from 'express';

/** Error codes of RFC 6749 §5.2 that the token endpoint answers with. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
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

function statusFor(code: OAuthErrorCode): number {
  if (code === 'invalid_client') return 401;
  if (code === 'server_error') return 500;
  return 400;
}

/**
 * https://datatracker.ietf.org/doc/html/rfc6749#section-5.2: a 401 for a client that
 * authenticated with HTTP Basic carries a matching WWW-Authenticate challenge.
 */
export function sendOAuthError(res: Response, error: OAuthError): void {
  if (error.status === 401) res.set('WWW-Authenticate', 'Basic realm="Bitbucket.org HTTP"');
  res.set('Cache-Control', 'no-store').set('Pragma', 'no-cache');
  res.status(error.status).json({ error: error.code, error_description: error.description });
}
