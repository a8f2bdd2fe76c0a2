import * as z from 'zod/mini';

/** The one error shape every BFF response uses (docs/ARCHITECTURE.md). */
export const ApiErrorCode = z.enum([
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'payload_too_large',
  'csrf_failed',
  'runner_offline',
  'runner_timeout',
  'runner_no_key',
  'provider_error',
  'scm_not_connected',
  'provider_unreachable',
  'storage_full',
  'database_unavailable',
  /** An Idempotency-Key sent again with another request (422). */
  'idempotency_key_reused',
  'internal',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;

export const ApiError = z.object({
  error: z.object({
    code: ApiErrorCode,
    message: z.string(),
    fields: z.optional(z.record(z.string(), z.string())),
  }),
});
export type ApiError = z.infer<typeof ApiError>;
