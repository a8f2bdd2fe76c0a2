import { HttpError } from '../http/http-error.ts';

/**
 * Keyset pagination: a cursor is the sort key of the last row of a page, base64url-encoded JSON.
 * Opaque to clients; a cursor that does not decode to the expected shape is a 400.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<K extends readonly ('string' | 'number')[]>(cursor: string | undefined, shape: K): { [I in keyof K]: K[I] extends 'number' ? number : string } | undefined {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== shape.length || key.some((v, i) => typeof v !== shape[i])) {
    throw new HttpError(400, 'validation_failed', 'This page link is not valid (any more). Load the list from the start.', { cursor: 'Not a cursor this list gave out.' });
  }
  return key as { [I in keyof K]: K[I] extends 'number' ? number : string };
}

/** Rows were fetched with limit + 1: the extra row only says there is a next page. */
export function pageOf<T>(rows: readonly T[], limit: number, keyOf: (row: T) => readonly (string | number)[]): { items: readonly T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(keyOf(items[items.length - 1]!)) };
}
