import * as z from 'zod/mini';

/**
 * Cursor pagination for list endpoints: `?limit=` (default 50, at most 200) and `?cursor=`, the
 * opaque `nextCursor` of the previous page. Lists answer `nextCursor: null` on their last page.
 */
export const PageQuery = z.object({
  limit: z._default(
    z.coerce
      .number()
      .check(
        z.int({ error: 'The limit must be a whole number.' }),
        z.gte(1, { error: 'The limit must be at least 1.' }),
        z.lte(200, { error: 'The limit is at most 200.' }),
      ),
    50,
  ),
  cursor: z.optional(
    z.string().check(z.minLength(1), z.maxLength(512, { error: 'That cursor is not valid.' })),
  ),
});
export type PageQuery = z.infer<typeof PageQuery>;

/** Where the next page starts; null on the last page. Optional only so that older BFFs still parse. */
export const NextCursor = z.optional(z.nullable(z.string()));
