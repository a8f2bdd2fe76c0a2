import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logger.ts';
import { HttpError } from './http-error.ts';
import { isDatabaseUnavailable, isUnstorableText } from '../store/database.ts';

/** Map every error to `{ error: { code, message, fields? } }`; nothing internal leaks. */
export function createErrorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    const e = toHttpError(err);
    if (e.code === 'database_unavailable') {
      res.set('Retry-After', '2');
      log.warn({ path: req.path, err: (err as Error)?.message }, 'the database is unavailable');
    } else if (e.status >= 500 && !(err instanceof HttpError)) {
      log.error({ err: { name: err?.name, message: err?.message, stack: err?.stack }, path: req.path }, 'request failed');
    }
    res.status(e.status).json({ error: { code: e.code, message: e.message, ...(e.fields ? { fields: e.fields } : {}) } });
  };
}

function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const status = (err as { status?: number; type?: string })?.status;
  const type = (err as { type?: string })?.type;
  const code = (err as { code?: unknown })?.code;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'SQLITE_IOERR_WRITE') {
    return new HttpError(507, 'storage_full', 'Runner Console could not save this because its disk is full. Nothing was changed. Free up disk space on the server, then try again.');
  }
  if (isDatabaseUnavailable(err)) {
    return new HttpError(503, 'database_unavailable', 'Runner Console cannot reach its database right now, so nothing was changed. Try again in a moment; if it keeps failing, ask your administrator to check the database.');
  }
  if (isUnstorableText(err)) {
    return new HttpError(400, 'validation_failed', 'The request contains a character that cannot be stored (a NUL byte). Remove it and try again.');
  }
  if (type === 'entity.too.large' || status === 413) {
    return new HttpError(413, 'payload_too_large', 'The request body is larger than 100 KB. Send a smaller body.');
  }
  if (type === 'entity.parse.failed') {
    return new HttpError(400, 'validation_failed', 'The request body is not valid JSON.');
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpError(400, 'validation_failed', 'The request could not be read. Check its format and try again.');
  }
  return new HttpError(500, 'internal', 'Something went wrong on our side. Try again; if it keeps failing, contact support.');
}

export const notFoundApi: RequestHandler = (_req, res) => {
  res.status(404).json({ error: { code: 'not_found', message: 'There is no API endpoint at this address.' } });
};
