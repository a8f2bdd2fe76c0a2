import type { z } from 'zod';
import { HttpError } from './http-error.ts';

/** Validate a body against its contract; field problems become `fields` of a 400. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
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
