import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '@coderabbitai/bitbucket/cloud';
import type { BitbucketEmail, StrictSchema } from '@runner-console/scm-providers/bitbucket-schema';
import { ProviderApiError, type ProviderEndpoints } from '../provider-adapter.ts';

/**
 * openapi-fetch types each answer with the generated schema, in which a subtype's inherited fields
 * are lost (a user's `display_name`, a commit's `hash`: see StrictSchema). These are the same
 * schemas with the inheritance restated; every field is still optional, as Atlassian's are.
 */
export type BitbucketUser = StrictSchema<'user'>;
export type BitbucketRepository = StrictSchema<'repository'>;
export type BitbucketBranch = StrictSchema<'branch'>;
export type BitbucketCommit = StrictSchema<'commit'>;
export type BitbucketPullRequest = StrictSchema<'pullrequest'>;

/** A page of a Bitbucket list (`paginated_*` in Atlassian's description). */
interface Page<T> {
  readonly values?: readonly T[];
  readonly next?: string;
}

/** Lists stop here even if Bitbucket keeps sending `next`: 50 pages of up to 100. */
const maxPages = 50;

/**
 * The Bitbucket REST API 2.0 paths the runner uses, through openapi-fetch and the types that
 * openapi-typescript generates from Atlassian's OpenAPI description (`@coderabbitai/bitbucket`).
 * The token goes in the Authorization header only, as Bitbucket requires since May 2026.
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/
 */
/** `authorization`: Bearer for OAuth, Basic `email:token` for an API token (the adapter's restAuthorization). */
export function createBitbucketApi(endpoints: Pick<ProviderEndpoints, 'apiUrl'>, authorization: string, httpFetch: typeof fetch = fetch) {
  const baseUrl = endpoints.apiUrl;
  const headers = { authorization, accept: 'application/json' };
  const client = createClient<paths>({ baseUrl, headers, fetch: (request: Request) => httpFetch(request) });
  const timeout: Middleware = {
    onRequest: ({ request }) => new Request(request, { signal: AbortSignal.timeout(15_000) }),
  };
  client.use(timeout);

  /** Runs one call and turns every failure into a ProviderApiError the callers map. */
  async function call<T>(run: () => Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    let result: { data?: T; error?: unknown; response: Response };
    try {
      result = await run();
    } catch {
      throw new ProviderApiError(0, 'provider_unreachable', 'Bitbucket could not be reached from the runner. Try again in a moment.');
    }
    const { data, error, response } = result;
    if (response.ok && data !== undefined) return data;
    throw errorFor(response.status, error);
  }

  /**
   * Every value of a list: follows `next`, which Bitbucket says to treat as opaque, exactly as
   * given. A `next` that leaves the API's origin is not followed (the token would go with it).
   * https://developer.atlassian.com/cloud/bitbucket/rest/intro/#pagination
   */
  async function collect<T>(first: Page<T>): Promise<T[]> {
    const values = [...(first.values ?? [])];
    let next = first.next;
    for (let page = 1; next && page < maxPages; page++) {
      if (new URL(next).origin !== new URL(baseUrl).origin) {
        throw new ProviderApiError(0, 'provider_error', 'Bitbucket sent a next-page link to another host; the runner did not follow it.');
      }
      const url = next;
      const body = await call<Page<T>>(async () => {
        const response = await httpFetch(url, { headers, signal: AbortSignal.timeout(15_000) });
        const parsed: unknown = await response.json().catch(() => undefined);
        return response.ok ? { data: parsed as Page<T>, response } : { error: parsed, response };
      });
      values.push(...(body.values ?? []));
      next = body.next;
    }
    return values;
  }

  const repoPath = (owner: string, repo: string) => ({ workspace: owner, repo_slug: repo });

  return {
    // The description says `/user` answers an `account`; bitbucket.org answers a `user` (a subtype).
    user: async (): Promise<BitbucketUser> => (await call(() => client.GET('/user'))) as unknown as BitbucketUser,
    emails: async (): Promise<BitbucketEmail[]> => {
      const first = await call(async () => {
        const result = await client.GET('/user/emails', { parseAs: 'json' });
        return { ...result, data: result.response.ok ? (result.data as unknown as Page<BitbucketEmail>) : undefined };
      });
      return collect<BitbucketEmail>(first);
    },
    repository: async (owner: string, repo: string): Promise<BitbucketRepository> =>
      call(() => client.GET('/repositories/{workspace}/{repo_slug}', { params: { path: repoPath(owner, repo) } })) as Promise<BitbucketRepository>,
    /** Every branch (for a repository with many, this follows `next`). */
    branches: async (owner: string, repo: string, pagelen = 100): Promise<BitbucketBranch[]> =>
      collect(
        (await call(() =>
          // Atlassian's description lists no `pagelen` for this path, though Bitbucket takes it on every list.
          client.GET('/repositories/{workspace}/{repo_slug}/refs/branches', { params: { path: repoPath(owner, repo), query: { pagelen } as never } }),
        )) as Page<BitbucketBranch>,
      ),
    tag: async (owner: string, repo: string, name: string): Promise<BitbucketBranch> =>
      call(() => client.GET('/repositories/{workspace}/{repo_slug}/refs/tags/{name}', { params: { path: { ...repoPath(owner, repo), name } } })) as Promise<BitbucketBranch>,
    branch: async (owner: string, repo: string, name: string): Promise<BitbucketBranch> =>
      call(() => client.GET('/repositories/{workspace}/{repo_slug}/refs/branches/{name}', { params: { path: { ...repoPath(owner, repo), name } } })) as Promise<BitbucketBranch>,
    commit: async (owner: string, repo: string, hash: string): Promise<BitbucketCommit> =>
      call(() => client.GET('/repositories/{workspace}/{repo_slug}/commit/{commit}', { params: { path: { ...repoPath(owner, repo), commit: hash } } })) as Promise<BitbucketCommit>,
    pullRequest: async (owner: string, repo: string, id: number): Promise<BitbucketPullRequest> =>
      call(() =>
        client.GET('/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}', { params: { path: { ...repoPath(owner, repo), pull_request_id: id } } }),
      ) as Promise<BitbucketPullRequest>,
  };
}
export type BitbucketApi = ReturnType<typeof createBitbucketApi>;

/** Bitbucket's error body is `{"type": "error", "error": {"message": …, "detail"?: …}}`. */
function errorFor(status: number, body: unknown): ProviderApiError {
  const detail = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
  const text = typeof detail === 'string' ? detail : `HTTP ${status}`;
  if (status === 401) return new ProviderApiError(401, 'unauthorized', `Bitbucket did not accept the token (${text}).`);
  if (status === 403) return new ProviderApiError(403, 'forbidden', `Bitbucket refused: ${text}`);
  if (status === 404) return new ProviderApiError(404, 'not_found', text);
  return new ProviderApiError(status, 'provider_error', `Bitbucket answered with an error (${text}). Try again later.`);
}
