/**
 * The `Idempotency-Key` request header (IETF httpapi draft "The Idempotency-Key HTTP Header Field",
 * as Stripe's API uses it): a client-made random value, one per user intent. Its answer is kept for
 * `idempotencyKeyLifetimeMs`.
 */
export const idempotencyKeyHeader = 'idempotency-key';
/** At least 16 characters of a printable, unguessable value: the key also decrypts the stored answer. */
export const idempotencyKeyPattern = /^[\x21-\x7e]{16,255}$/;
export const idempotencyKeyLifetimeMs = 24 * 60 * 60 * 1000;
/** Set on an answer that repeats the first one. */
export const idempotentReplayedHeader = 'idempotent-replayed';
