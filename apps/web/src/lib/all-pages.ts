/** One page of a cursor-paginated list: the items under `key`, and the cursor of the next page. */
export type ListPage<K extends string> = { [P in K]: unknown[] } & { nextCursor?: string | null };

/** Pages per request at most (the API's maximum `limit`). */
export const PAGE_LIMIT = 200;

/**
 * Every page of a list, followed by cursor, merged into one answer of the API's own shape with
 * `nextCursor: null`. For lists an org keeps small (runners, a user's environments), where the
 * dashboard shows everything and the live updates patch one cached list. Stops after `maxPages`
 * and then keeps that page's cursor, so a caller can tell the list was cut short.
 */
export async function allPages<K extends string, P extends ListPage<K>>(key: K, fetchPage: (cursor: string | undefined) => Promise<P>, maxPages = 50): Promise<P> {
  const items: unknown[] = [];
  let cursor: string | undefined;
  let last: P | undefined;
  for (let page = 0; page < maxPages; page++) {
    last = await fetchPage(cursor);
    items.push(...last[key]);
    cursor = last.nextCursor ?? undefined;
    if (cursor === undefined) break;
  }
  return { ...last, [key]: items, nextCursor: cursor ?? null } as P;
}
