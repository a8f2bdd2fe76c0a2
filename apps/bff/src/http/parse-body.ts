import { z } from 'zod';
import { en } from 'zod/locales';
import { HttpError } from './http-error.ts';

// The contracts are zod/mini schemas, which come without messages: the API answers in English
// where a contract gives no message of its own (the SPA carries no locale; see apps/web main.tsx).
z.config(en());

/** Validate a body against its contract (a zod/mini schema); field problems become `fields` of a 400. */
export function parseBody<T extends z.core.$ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = z.safeParse(schema, body ?? {});
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_';
    fields[key] ??= issue.message;
  }
  const first = Object.entries(fields)[0];
  const message =
    first && first[0] !== '_'
      ? `Check the highlighted fields: ${first[0]}: ${first[1]}`
      : 'The request body is not valid. Check the fields and try again.';
  throw new HttpError(400, 'validation_failed', message, fields);
}
