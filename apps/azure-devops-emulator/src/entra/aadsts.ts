// Entra's token-endpoint error answers: `error`, an `error_description` that starts with the
// AADSTS code, `error_codes`, `timestamp`, `trace_id`, `correlation_id`, `error_uri`
// (https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes). The codes used:
//   AADSTS700016 unauthorized_client: no such application in the tenant
//   AADSTS7000215 invalid_client: wrong client secret; AADSTS7000222: the secret expired
//   AADSTS70008 invalid_grant: the code or refresh token expired; AADSTS54005: the code was already redeemed
//   AADSTS501481 invalid_grant: the code_verifier does not match the code_challenge
//   AADSTS500112 invalid_grant: the redirect_uri differs from the authorize request's
//   AADSTS65001 invalid_grant: the user has not consented; AADSTS65004 (access_denied): declined
//   AADSTS90014 invalid_request: a required field (`scope` on refresh) is missing
//   AADSTS9002313 invalid_request: the request is malformed
//   AADSTS50173 invalid_grant: the grant was revoked
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';

export function sendAadstsError(res: Response, status: number, error: string, code: number, message: string): void {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  res
    .status(status)
    .set('Cache-Control', 'no-store')
    .json({
      error,
      error_description: `AADSTS${code}: ${message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    });
}

/** The authorize redirect's error (`error`, `error_description` with the AADSTS code), as Entra sends it back. */
export function authorizeErrorRedirect(redirectUri: string, state: string | undefined, error: string, code: number, message: string): string {
  const url = new URL(redirectUri);
  url.searchParams.set('error', error);
  url.searchParams.set('error_description', `AADSTS${code}: ${message}`);
  if (state !== undefined) url.searchParams.set('state', state);
  return url.href;
}
