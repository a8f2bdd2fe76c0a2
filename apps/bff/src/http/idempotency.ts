import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { idempotencyKeyHeader, idempotencyKeyLifetimeMs, idempotencyKeyPattern, idempotentReplayedHeader } from '@runner-console/contracts';
import type { Db } from '../store/database.ts';
import { HttpError } from './http-error.ts';
import { findRequestUser } from './request-context.ts';

const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

/** How long a repeat waits for the first request to finish before it is told to try later. */
const waitForFirstMs = 30_000;
/** A `pending` row older than this was left by an instance that died: the next request takes it over. */
const abandonedAfterMs = 60_000;

/**
 * The answer is sealed with a key derived from the Idempotency-Key, which only the caller has: the
 * database never holds a create's answer in the clear (createRunner's holds a one-time runner token).
 */
function answerKey(idempotencyKey: string, userId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', idempotencyKey, userId, 'runner-console idempotent answer', 32));
}

function sealAnswer(body: unknown, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(body), 'utf8'), cipher.final()]);
  return [iv, ciphertext, cipher.getAuthTag()].map((b) => b.toString('base64url')).join('.');
}

function openAnswer(sealed: string, key: Buffer): unknown {
  const [iv, ciphertext, tag] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', key, iv!);
  decipher.setAuthTag(tag!);
  return JSON.parse(Buffer.concat([decipher.update(ciphertext!), decipher.final()]).toString('utf8'));
}

/**
 * `Idempotency-Key` for the creates that take one (the route table's `idempotent`), after the IETF
 * httpapi draft "The Idempotency-Key HTTP Header Field" as Stripe's API applies it:
 * - the first request with a key runs, and its success is kept for 24 hours, on the database, so a
 *   repeat on any instance gets the same status and body (with `Idempotent-Replayed: true`);
 * - a repeat that arrives while the first still runs (a double click) waits for its answer;
 * - the same key with another request is refused (422); a failure is not kept, so a retry runs again.
 * Keys are scoped to the caller. Without the header a request runs as before.
 *
 * Written here: the npm packages for this keep answers in memory or Redis and in the clear.
 */
export function createIdempotency(db: Db): RequestHandler {
  let sinceCleanup = 0;
  return async (req, res, next) => {
    const idempotencyKey = req.get(idempotencyKeyHeader);
    const user = findRequestUser(req);
    // No key, or no caller (the route answers 401 itself): the request runs as it would.
    if (idempotencyKey === undefined || !user) return next();
    if (!idempotencyKeyPattern.test(idempotencyKey)) {
      throw new HttpError(400, 'validation_failed', 'The Idempotency-Key header must be 16 to 255 printable characters without spaces, such as a random UUID.');
    }
    const keyHash = sha256(`${user.id}\n${idempotencyKey}`);
    const requestHash = sha256(`${req.method} ${req.baseUrl}${req.path}\n${JSON.stringify(req.body ?? null)}`);
    const now = Date.now();
    if (++sinceCleanup >= 500) {
      sinceCleanup = 0;
      await db.deleteFrom('idempotency_keys').where('expires_at', '<=', new Date(now).toISOString()).execute();
    }

    const claimed = await claim(keyHash, requestHash, now);
    if (!claimed) {
      const answer = await waitForAnswer(keyHash, requestHash);
      res.set(idempotentReplayedHeader, 'true');
      res.status(answer.status).json(openAnswer(answer.sealed, answerKey(idempotencyKey, user.id)));
      return;
    }
    captureAnswer(res, async (status, body) => {
      if (status >= 200 && status < 300) {
        await db
          .updateTable('idempotency_keys')
          .set({ state: 'done', status, sealed_body: sealAnswer(body, answerKey(idempotencyKey, user.id)) })
          .where('key_hash', '=', keyHash)
          .execute();
      } else {
        // Not kept: the same key may try again (after the admin fixed what was refused).
        await db.deleteFrom('idempotency_keys').where('key_hash', '=', keyHash).where('state', '=', 'pending').execute();
      }
    });
    next();
  };

  /** True when this request is the first with its key (or takes over an abandoned one). */
  async function claim(keyHash: string, requestHash: string, now: number): Promise<boolean> {
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({ key_hash: keyHash, request_hash: requestHash, state: 'pending', status: null, sealed_body: null, created_at: new Date(now).toISOString(), expires_at: new Date(now + idempotencyKeyLifetimeMs).toISOString() })
      .onConflict((oc) => oc.column('key_hash').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return true;
    // An expired answer, or a pending row whose instance died, is taken over by this request.
    const takenOver = await db
      .updateTable('idempotency_keys')
      .set({ request_hash: requestHash, state: 'pending', status: null, sealed_body: null, created_at: new Date(now).toISOString(), expires_at: new Date(now + idempotencyKeyLifetimeMs).toISOString() })
      .where('key_hash', '=', keyHash)
      .where((eb) =>
        eb.or([
          eb('expires_at', '<=', new Date(now).toISOString()),
          eb.and([eb('state', '=', 'pending'), eb('created_at', '<=', new Date(now - abandonedAfterMs).toISOString())]),
        ]),
      )
      .executeTakeFirst();
    return Number(takenOver.numUpdatedRows) === 1;
  }

  async function waitForAnswer(keyHash: string, requestHash: string): Promise<{ status: number; sealed: string }> {
    const deadline = Date.now() + waitForFirstMs;
    for (let delay = 25; ; delay = Math.min(delay * 2, 250)) {
      const row = await db.selectFrom('idempotency_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
      if (row && row.request_hash !== requestHash) {
        throw new HttpError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used for another request. Send a new key for a new request.');
      }
      if (row?.state === 'done' && row.status !== null && row.sealed_body) return { status: row.status, sealed: row.sealed_body };
      // The first request failed (its row is gone): this one is not run in its place, it is told to retry.
      if (!row) throw new HttpError(409, 'conflict', 'The first request with this Idempotency-Key did not succeed. Try again.');
      if (Date.now() + delay > deadline) {
        throw new HttpError(409, 'conflict', 'A request with this Idempotency-Key is still being processed. Try again in a moment.');
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** Calls `store` with the route's JSON answer before it is sent, so a repeat never sees it missing. */
function captureAnswer(res: Response, store: (status: number, body: unknown) => Promise<void>): void {
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    store(res.statusCode, body).then(
      () => json(body),
      () => json(body),
    );
    return res;
  };
}
