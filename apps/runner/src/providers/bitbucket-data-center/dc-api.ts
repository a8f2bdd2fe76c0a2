// Bitbucket Data Center's REST API 1.0, as much of it as the runner uses, at `https://{host}/rest/api/1.0`.
// The answers are typed from Atlassian's description (`@coderabbitai/bitbucket`'s `server` types)
// through the strict wrapper the emulator uses too. Plain fetch: the runner needs X-AUSERNAME and
// Retry-After from the headers, and no retries.
// https://developer.atlassian.com/server/bitbucket/rest/v906/intro/
import type { DcErrors, DcPage } from '@runner-console/scm-providers/bitbucket-data-center-schema';
import { ProviderApiError, type ProviderCall } from '../provider-adapter.ts';

export type {
  DcApplicationProperties,
  DcBranch,
  DcCommit,
  DcMinimalRef,
  DcPullRequest,
  DcRepository,
  DcTag,
  DcUser,
} from '@runner-console/scm-providers/bitbucket-data-center-schema';

const TIMEOUT_MS = 15_000;
/** Lists stop here even if the server keeps saying there is more: 20 pages of 100. */
const MAX_PAGES = 20;

export interface DcAnswer<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** A path segment, encoded (a project key, a slug, a user slug). */
export function segment(value: string | number): string {
  return encodeURIComponent(String(value));
}

/** `projects/{key}/repos/{slug}` for a repository path `[key, slug]` (a personal project's key is `~USER`). */
export function repositoryApiPath(repositoryPath: readonly string[]): string {
  const [key = '', slug = ''] = repositoryPath;
  return `projects/${segment(key)}/repos/${segment(slug)}`;
}

/** One REST call; failures become ProviderApiError with a sentence for the developer. */
export async function dcRequest<T>(call: ProviderCall, path: string, query: Record<string, string | number> = {}): Promise<DcAnswer<T>> {
  const url = new URL(`${call.endpoints.apiUrl}/${path.replace(/^\/+/, '')}`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
  let response: Response;
  try {
    response = await call.fetch(url, {
      headers: { authorization: call.authorization, accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    throw new ProviderApiError(0, 'provider_unreachable', `Bitbucket Data Center (${call.endpoints.host}) could not be reached from the runner. Check the runner's network and CA setting (EXTRA_CA_CERTS), then try again.`);
  }
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.ok) return { status: response.status, headers: response.headers, body: body as T };
  throw errorFor(response, body as DcErrors | undefined, call.endpoints.host);
}

/**
 * Every value of a paged list: `start`, `limit`, and `nextPageStart` until `isLastPage`
 * (https://developer.atlassian.com/server/bitbucket/rest/v906/intro/#paged-apis). `until` stops
 * early once an item is found.
 */
export async function dcCollect<T>(call: ProviderCall, path: string, query: Record<string, string | number> = {}, until?: (item: T) => boolean): Promise<T[]> {
  const items: T[] = [];
  let start = 0;
  for (let pageNumber = 0; pageNumber < MAX_PAGES; pageNumber++) {
    const { body } = await dcRequest<DcPage<T>>(call, path, { ...query, start, limit: 100 });
    const values = Array.isArray(body?.values) ? body.values : [];
    items.push(...values);
    if (until && values.some(until)) break;
    if (body?.isLastPage !== false || typeof body.nextPageStart !== 'number' || body.nextPageStart <= start) break;
    start = body.nextPageStart;
  }
  return items;
}

/** When a rate-limited caller may try again, from `Retry-After` (seconds). */
function retryAt(headers: Headers, now = Date.now()): Date | null {
  const value = headers.get('retry-after')?.trim();
  return value && /^\d{1,7}$/.test(value) ? new Date(now + Number(value) * 1000) : null;
}

function errorFor(response: Response, body: DcErrors | undefined, host: string): ProviderApiError {
  const { status } = response;
  const said = body?.errors?.[0]?.message;
  const detail = typeof said === 'string' && said !== '' ? said.slice(0, 300) : `HTTP ${status}`;
  const name = `Bitbucket Data Center (${host})`;
  if (status === 429) {
    const until = retryAt(response.headers);
    const when = until === null ? 'for a while' : `until ${until.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    return new ProviderApiError(429, 'rate_limited', `${name} has rate limited this account ${when}. Try again after that.`);
  }
  if (status === 401) return new ProviderApiError(401, 'unauthorized', `${name} did not accept the token (${detail}).`);
  if (status === 403) return new ProviderApiError(403, 'forbidden', `${name} refused: ${detail}`);
  if (status === 404) return new ProviderApiError(404, 'not_found', detail);
  return new ProviderApiError(status, 'provider_error', `${name} answered with an error (${detail}). Try again later.`);
}
