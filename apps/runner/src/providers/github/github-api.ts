// GitHub's REST API, as much of it as the runner uses, with the same base for github.com
// (https://api.github.com) and GitHub Enterprise Server (https://{host}/api/v3). The answers are
// typed from GitHub's own OpenAPI description (@octokit/openapi-types). Plain fetch rather than
// Octokit: the runner needs the response headers (X-OAuth-Scopes, GitHub-Authentication-Token-
// Expiration, the rate-limit headers) and no retries, throttling or paging plugins.
import type { components } from '@octokit/openapi-types';
import { ProviderApiError, type ProviderCall } from '../provider-adapter.ts';

export type GitHubUser = components['schemas']['private-user'] | components['schemas']['public-user'];
export type GitHubEmail = components['schemas']['email'];
export type GitHubRepository = components['schemas']['full-repository'];
export type GitHubBranch = components['schemas']['branch-with-protection'];
export type GitHubCommit = components['schemas']['commit'];
export type GitHubPullRequest = components['schemas']['pull-request'];
export type GitHubGitRef = components['schemas']['git-ref'];
export type GitHubTag = components['schemas']['git-tag'];

const TIMEOUT_MS = 15_000;

export interface GitHubAnswer<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** Path segments go through encodeURIComponent; a branch's slashes stay slashes (git/ref/heads/a/b). */
export function pathOf(segments: readonly (string | number)[]): string {
  return segments.map((segment) => encodeURIComponent(String(segment))).join('/');
}

/** A ref name in a URL path: each part encoded, the slashes kept (GitHub's /git/ref/heads/{ref}). */
export function refPath(ref: string): string {
  return ref.split('/').map(encodeURIComponent).join('/');
}

/**
 * One REST call. Failures become ProviderApiError with a sentence for the developer:
 * 401 (the token is no longer accepted), rate limits (403/429 with `x-ratelimit-remaining: 0` or
 * `Retry-After`: "rate limited until …", never retried here), other 403s, 404, 5xx, network.
 */
export async function githubRequest<T>(
  call: ProviderCall,
  path: string,
  init: { method?: 'GET' | 'DELETE'; body?: unknown; authorization?: string } = {},
): Promise<GitHubAnswer<T>> {
  const url = `${call.endpoints.apiUrl}/${path.replace(/^\/+/, '')}`;
  let response: Response;
  try {
    response = await call.fetch(url, {
      method: init.method ?? 'GET',
      headers: {
        authorization: init.authorization ?? call.authorization,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    throw new ProviderApiError(0, 'provider_unreachable', `GitHub (${call.endpoints.host}) could not be reached from the runner. Try again in a moment.`);
  }
  const text = await response.text().catch(() => '');
  let body: unknown = undefined;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  if (response.ok) return { status: response.status, headers: response.headers, body: body as T };
  throw errorFor(response, body, call.endpoints.host);
}

/** When a rate-limited caller may try again, from `Retry-After` (seconds) or `x-ratelimit-reset` (epoch seconds). */
export function rateLimitedUntil(headers: Headers, now = Date.now()): Date | null {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null && /^\d{1,7}$/.test(retryAfter.trim())) return new Date(now + Number(retryAfter.trim()) * 1000);
  const remaining = headers.get('x-ratelimit-remaining');
  const reset = headers.get('x-ratelimit-reset');
  if (remaining === '0' && reset !== null && /^\d{1,12}$/.test(reset.trim())) return new Date(Number(reset.trim()) * 1000);
  return null;
}

function errorFor(response: Response, body: unknown, host: string): ProviderApiError {
  const { status } = response;
  const message = (body as { message?: unknown } | undefined)?.message;
  const detail = typeof message === 'string' && message.length > 0 ? message.slice(0, 300) : `HTTP ${status}`;
  if (status === 403 || status === 429) {
    const until = rateLimitedUntil(response.headers);
    if (until !== null || status === 429) {
      const when = until === null ? 'for a while' : `until ${until.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
      return new ProviderApiError(status, 'rate_limited', `GitHub (${host}) has rate limited this account ${when}. Try again after that.`);
    }
    return new ProviderApiError(403, 'forbidden', `GitHub refused: ${detail}`);
  }
  if (status === 401) return new ProviderApiError(401, 'unauthorized', `GitHub did not accept the token (${detail}).`);
  if (status === 404) return new ProviderApiError(404, 'not_found', detail);
  return new ProviderApiError(status, 'provider_error', `GitHub answered with an error (${detail}). Try again later.`);
}
