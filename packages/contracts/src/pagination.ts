import { z } from 'zod';

/**
 * Cursor pagination for list endpoints: `?limit=` (default 50, at most 200) and `?cursor=`, the
 * opaque `nextCursor` of the previous page. Lists answer `nextCursor: null` on their last page.
 */
export const PageQuery = z.object({
  limit: z.coerce
    .number()
    .int({ error: 'The limit must be a whole number.' })
    .min(1, { error: 'The limit must be at least 1.' })
    .max(200, { error: 'The limit is at most 200.' })
    .default(50),
  cursor: z.string().min(1).max(512, { error: 'That cursor is not valid.' }).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

/** Where the next page starts; null on the last page. Optional only so that older BFFs still parse. */
export const NextCursor = z.string().nullable().optional();
