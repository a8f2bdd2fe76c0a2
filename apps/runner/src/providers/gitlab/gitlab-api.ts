// GitLab's REST API (https://docs.gitlab.com/api/rest/), as much of it as the runner uses, at
// https://gitlab.com/api/v4 or https://{host}/api/v4 on a self-managed instance. The answers are
// typed from @gitbeaker/core's schemas of GitLab's API. Plain fetch rather than Gitbeaker: the
// runner needs the response headers (paging, rate limits) and no retries.
import type { BranchSchema, CommitSchema, ExpandedUserSchema, MergeRequestSchema, PersonalAccessTokenSchema, SimpleProjectSchema, TagSchema } from '@gitbeaker/core';
import { ProviderApiError, type ProviderCall } from '../provider-adapter.ts';

/** GET /user for the token's own user; `commit_email` is documented there (https://docs.gitlab.com/api/users/#retrieve-the-current-user) but absent from Gitbeaker's schema. */
export type GitLabUser = Pick<ExpandedUserSchema, 'id' | 'username' | 'name' | 'email'> & { commit_email?: string | null };
export type GitLabProject = Pick<SimpleProjectSchema, 'id' | 'path_with_namespace' | 'default_branch' | 'http_url_to_repo'>;
export type GitLabBranch = Pick<BranchSchema, 'name' | 'commit'>;
export type GitLabTag = Pick<TagSchema, 'name' | 'commit'>;
export type GitLabCommit = Pick<CommitSchema, 'id'>;
export type GitLabMergeRequest = Pick<MergeRequestSchema, 'iid' | 'title' | 'source_branch' | 'target_branch' | 'source_project_id' | 'target_project_id' | 'sha'>;
export type GitLabPersonalAccessToken = Pick<PersonalAccessTokenSchema, 'scopes' | 'active' | 'revoked' | 'expires_at'>;

const TIMEOUT_MS = 15_000;
/** At most this many pages of a list are followed (100 items each). */
const MAX_PAGES = 50;

export interface GitLabAnswer<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** A project's `:id` in a URL: its path with namespace, URL-encoded as one segment (`acme%2Fplatform%2Ftools`). */
export function projectId(repositoryPath: readonly string[]): string {
  return encodeURIComponent(repositoryPath.join('/'));
}

/**
 * One REST call. Failures become ProviderApiError with a sentence for the developer: 401 (the token
 * is no longer accepted), 429 (rate limited until `RateLimit-Reset`/`Retry-After`, never retried
 * here), 403 (GitLab's `insufficient_scope` names the scopes that would do), 404, 5xx, network.
 */
export async function gitlabRequest<T>(call: ProviderCall, path: string): Promise<GitLabAnswer<T>> {
  const url = `${call.endpoints.apiUrl}/${path.replace(/^\/+/, '')}`;
  let response: Response;
  try {
    response = await call.fetch(url, { headers: { authorization: call.authorization, accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    throw new ProviderApiError(0, 'provider_unreachable', `GitLab (${call.endpoints.host}) could not be reached from the runner. Try again in a moment.`);
  }
  const text = await response.text().catch(() => '');
  let body: unknown = undefined;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.ok) return { status: response.status, headers: response.headers, body: body as T };
  throw errorFor(response, body, call.endpoints.host);
}

/**
 * Every item of a list, page by page, following `x-next-page` (empty on the last page), as GitLab's
 * offset pagination answers it (https://docs.gitlab.com/api/rest/#pagination).
 */
export async function gitlabList<T>(call: ProviderCall, path: string): Promise<T[]> {
  const items: T[] = [];
  let page = '1';
  for (let count = 0; count < MAX_PAGES && page !== ''; count++) {
    const separator = path.includes('?') ? '&' : '?';
    const answer = await gitlabRequest<T[]>(call, `${path}${separator}per_page=100&page=${encodeURIComponent(page)}`);
    items.push(...(Array.isArray(answer.body) ? answer.body : []));
    page = (answer.headers.get('x-next-page') ?? '').trim();
    if (!/^\d{0,6}$/.test(page)) break;
  }
  return items;
}

/** When a rate-limited caller may try again, from `Retry-After` (seconds) or `RateLimit-Reset` (epoch seconds). */
export function rateLimitedUntil(headers: Headers, now = Date.now()): Date | null {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null && /^\d{1,7}$/.test(retryAfter.trim())) return new Date(now + Number(retryAfter.trim()) * 1000);
  const reset = headers.get('ratelimit-reset');
  if (reset !== null && /^\d{1,12}$/.test(reset.trim())) return new Date(Number(reset.trim()) * 1000);
  return null;
}

function errorFor(response: Response, body: unknown, host: string): ProviderApiError {
  const { status } = response;
  const fields = (body ?? {}) as { message?: unknown; error?: unknown; error_description?: unknown; scope?: unknown };
  const said = typeof fields.message === 'string' ? fields.message : typeof fields.error === 'string' ? fields.error : undefined;
  const detail = said ? said.slice(0, 300) : `HTTP ${status}`;
  if (status === 429) {
    const until = rateLimitedUntil(response.headers);
    const when = until === null ? 'for a while' : `until ${until.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    return new ProviderApiError(429, 'rate_limited', `GitLab (${host}) has rate limited this account ${when}. Try again after that.`);
  }
  if (status === 401) return new ProviderApiError(401, 'unauthorized', `GitLab did not accept the token (${detail}).`);
  if (status === 403) {
    if (fields.error === 'insufficient_scope') {
      const scopes = typeof fields.scope === 'string' ? ` It needs one of: ${fields.scope.slice(0, 100)}.` : '';
      return new ProviderApiError(403, 'forbidden', `GitLab refused: the token lacks a scope this needs.${scopes}`);
    }
    return new ProviderApiError(403, 'forbidden', `GitLab refused: ${detail}`);
  }
  if (status === 404) return new ProviderApiError(404, 'not_found', detail);
  return new ProviderApiError(status, 'provider_error', `GitLab answered with an error (${detail}). Try again later.`);
}
