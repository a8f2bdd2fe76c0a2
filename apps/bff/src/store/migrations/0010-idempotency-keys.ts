import type { Kysely } from 'kysely';

/**
 * Answers to creates sent with an Idempotency-Key (the IETF httpapi draft "The Idempotency-Key HTTP
 * Header Field"), so a repeat gets the first answer on any instance. The key itself is not stored:
 * `key_hash` is its SHA-256 with the caller's id, and the answer is encrypted with a key derived
 * from the Idempotency-Key (it can hold a one-time runner token). `state` is `pending` while the
 * first request runs, then `done`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('key_hash', 'text', (c) => c.primaryKey())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('sealed_body', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('idempotency_keys_expires_at').on('idempotency_keys').column('expires_at').execute();
}
