import type { Request } from 'express';
import type { BitbucketPage } from '@runner-console/scm-providers/bitbucket-schema';

export interface Paging {
  page: number;
  pagelen: number;
}

export interface PagingLimits {
  defaultPagelen: number;
  maxPagelen: number;
}

export class PagingError extends Error {
  override name = 'PagingError';
}

/**
 * Reads `page` (1-based) and `pagelen` from the query, as Bitbucket's paginated collections do.
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/#pagination
 */
export function readPaging(req: Request, limits: PagingLimits): Paging {
  const page = readPositiveInteger(req.query.page, 1, 'page');
  const pagelen = readPositiveInteger(req.query.pagelen, limits.defaultPagelen, 'pagelen');
  if (pagelen > limits.maxPagelen)
    throw new PagingError(`Invalid pagelen: the maximum is ${limits.maxPagelen}.`);
  return { page, pagelen };
}

/**
 * One page of a collection in Bitbucket's envelope: `pagelen`, `size`, `values`, `page`, and
 * `next`/`previous` links that keep the request's other query parameters. A page past the end
 * is empty (inferred).
 */
export function paginate<T>(
  items: readonly T[],
  paging: Paging,
  requestUrl: URL,
): BitbucketPage<T> {
  const start = (paging.page - 1) * paging.pagelen;
  const linkTo = (page: number) => {
    const url = new URL(requestUrl);
    url.searchParams.set('page', String(page));
    return url.href;
  };
  return {
    pagelen: paging.pagelen,
    size: items.length,
    values: items.slice(start, start + paging.pagelen),
    page: paging.page,
    ...(start + paging.pagelen < items.length ? { next: linkTo(paging.page + 1) } : {}),
    ...(paging.page > 1 ? { previous: linkTo(paging.page - 1) } : {}),
  };
}

/** The request's URL on the public origin, for next/previous links; a query access token is left out. */
export function publicRequestUrl(publicUrl: string, req: Request): URL {
  const url = new URL(req.originalUrl, publicUrl);
  url.searchParams.delete('access_token');
  return url;
}

function readPositiveInteger(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^[1-9]\d{0,6}$/.test(value)) {
    throw new PagingError(`Invalid ${name}: use a whole number of 1 or more.`);
  }
  return Number(value);
}
