import type { ProviderEndpoints } from '../oauth/provider-endpoints.ts';

export class ProviderApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: 'unauthorized' | 'forbidden' | 'not_found' | 'provider_error' | 'provider_unreachable',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A small client for the Bitbucket REST API 2.0 paths the runner uses.
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/
 */
export function createBitbucketApi(endpoints: ProviderEndpoints, accessToken: string, authorization = `Bearer ${accessToken}`) {
  async function get<T>(path: string): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${endpoints.apiUrl}/2.0${path}`, {
        headers: { authorization, accept: 'application/json' },
        signal: AbortSignal.timeout(15_000),
      });
    } catch {
      throw new ProviderApiError(0, 'provider_unreachable', 'Bitbucket could not be reached from the runner. Try again in a moment.');
    }
    if (res.ok) return (await res.json()) as T;
    const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
    const detail = body.error?.message ?? `HTTP ${res.status}`;
    if (res.status === 401) throw new ProviderApiError(401, 'unauthorized', `Bitbucket did not accept the token (${detail}).`);
    if (res.status === 403) throw new ProviderApiError(403, 'forbidden', `Bitbucket refused: ${detail}`);
    if (res.status === 404) throw new ProviderApiError(404, 'not_found', detail);
    throw new ProviderApiError(res.status, 'provider_error', `Bitbucket answered with an error (${detail}). Try again later.`);
  }

  return {
    user: () => get<{ uuid: string; account_id?: string; display_name: string; nickname?: string; username?: string }>('/user'),
    emails: () => get<{ values: { email: string; is_primary: boolean; is_confirmed: boolean }[] }>('/user/emails'),
    repository: (owner: string, repo: string) =>
      get<{ full_name: string; mainbranch?: { name: string }; links: { clone?: { name: string; href: string }[] } }>(`/repositories/${enc(owner)}/${enc(repo)}`),
    branch: (owner: string, repo: string, name: string) =>
      get<{ name: string; target: { hash: string } }>(`/repositories/${enc(owner)}/${enc(repo)}/refs/branches/${enc(name)}`),
    commit: (owner: string, repo: string, hash: string) => get<{ hash: string }>(`/repositories/${enc(owner)}/${enc(repo)}/commit/${enc(hash)}`),
    pullRequest: (owner: string, repo: string, id: number) =>
      get<{
        id: number;
        title: string;
        source: { branch: { name: string }; commit: { hash: string } };
        destination: { branch: { name: string } };
      }>(`/repositories/${enc(owner)}/${enc(repo)}/pullrequests/${id}`),
  };
}

const enc = encodeURIComponent;
