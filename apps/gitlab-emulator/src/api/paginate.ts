import type { Request, Response } from 'express';

/**
 * GitLab's offset pagination (https://docs.gitlab.com/api/rest/#pagination): `page` (from 1) and
 * `per_page` (default 20, at most 100), answered with `x-page`, `x-per-page`, `x-next-page`,
 * `x-prev-page`, `x-total`, `x-total-pages` and a `Link` header (`prev`, `next`, `first`, `last`).
 * `x-next-page` is empty on the last page.
 */
export function paginate<T>(req: Request, res: Response, apiBase: string, items: readonly T[]): T[] {
  const number = (value: unknown, fallback: number) => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : fallback);
  const perPage = Math.min(100, Math.max(1, number(req.query.per_page, 20)));
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const page = Math.max(1, number(req.query.page, 1));
  const url = (target: number) => {
    const link = new URL(`${apiBase}${req.baseUrl.replace(/^\/api\/v4/, '')}${req.path}`);
    for (const [name, value] of Object.entries(req.query)) if (typeof value === 'string') link.searchParams.set(name, value);
    link.searchParams.set('page', String(target));
    link.searchParams.set('per_page', String(perPage));
    return link.href;
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${url(page - 1)}>; rel="prev"`);
  if (page < totalPages) links.push(`<${url(page + 1)}>; rel="next"`);
  links.push(`<${url(1)}>; rel="first"`, `<${url(totalPages)}>; rel="last"`);
  res.set({
    'x-page': String(page),
    'x-per-page': String(perPage),
    'x-next-page': page < totalPages ? String(page + 1) : '',
    'x-prev-page': page > 1 ? String(page - 1) : '',
    'x-total': String(items.length),
    'x-total-pages': String(totalPages),
    Link: links.join(', '),
  });
  return items.slice((page - 1) * perPage, page * perPage);
}
