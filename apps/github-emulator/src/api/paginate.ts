import type { Request, Response } from 'express';

export interface Page<T> {
  items: T[];
}

/**
 * GitHub's paging: `per_page` (default 30, at most 100) and `page` (from 1), with a `Link`
 * header holding `next`, `last`, `first` and `prev` where they apply
 * (https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api).
 * A page past the end is an empty list.
 */
export function paginate<T>(req: Request, res: Response, webOrigin: string, all: readonly T[]): T[] {
  const perPage = clamp(readPositive(req.query.per_page, 30), 1, 100);
  const page = readPositive(req.query.page, 1);
  const lastPage = Math.max(1, Math.ceil(all.length / perPage));
  const links: string[] = [];
  const href = (target: number) => {
    const url = new URL(req.originalUrl, webOrigin);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(target));
    return url.href;
  };
  if (page > 1) links.push(`<${href(Math.min(page - 1, lastPage))}>; rel="prev"`);
  if (page < lastPage) links.push(`<${href(page + 1)}>; rel="next"`, `<${href(lastPage)}>; rel="last"`);
  if (page > 1) links.push(`<${href(1)}>; rel="first"`);
  if (links.length > 0) res.set('Link', links.join(', '));
  return all.slice((page - 1) * perPage, page * perPage);
}

function readPositive(value: unknown, fallback: number): number {
  if (typeof value !== 'string' || !/^\d{1,6}$/.test(value)) return fallback;
  const number = Number(value);
  return number >= 1 ? number : fallback;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
