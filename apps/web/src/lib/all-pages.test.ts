import { describe, expect, it } from 'vitest';
import { allPages } from './all-pages.ts';
import { withQuery } from './api-client.ts';

function pagedSource(total: number, size: number) {
  const cursors: (string | undefined)[] = [];
  const fetchPage = async (cursor: string | undefined) => {
    cursors.push(cursor);
    const start = cursor ? Number(cursor) : 0;
    const runners = Array.from({ length: Math.min(size, total - start) }, (_, i) => ({ id: `r${start + i}` }));
    const next = start + size;
    return { runners, nextCursor: next < total ? String(next) : null };
  };
  return { fetchPage, cursors };
}

describe('allPages', () => {
  it('follows the cursor to the last page and returns every item once, in order', async () => {
    const { fetchPage, cursors } = pagedSource(450, 200);
    const all = await allPages('runners', fetchPage);
    expect(all.runners.map((r) => r.id)).toEqual(Array.from({ length: 450 }, (_, i) => `r${i}`));
    expect(all.nextCursor).toBeNull();
    expect(cursors).toEqual([undefined, '200', '400']);
  });

  it('makes one request for a list that fits one page', async () => {
    const { fetchPage, cursors } = pagedSource(3, 200);
    expect((await allPages('runners', fetchPage)).runners).toHaveLength(3);
    expect(cursors).toHaveLength(1);
  });

  it('stops after maxPages and keeps the cursor, so the caller can tell the list was cut short', async () => {
    const { fetchPage } = pagedSource(1000, 200);
    const some = await allPages('runners', fetchPage, 2);
    expect(some.runners).toHaveLength(400);
    expect(some.nextCursor).toBe('400');
  });
});

describe('withQuery', () => {
  it('adds only defined values, encoded', () => {
    expect(withQuery('/api/runners', { limit: '200', cursor: undefined })).toBe('/api/runners?limit=200');
    expect(withQuery('/api/runners', { cursor: 'a b/+' })).toBe('/api/runners?cursor=a+b%2F%2B');
    expect(withQuery('/api/runners')).toBe('/api/runners');
  });
});
