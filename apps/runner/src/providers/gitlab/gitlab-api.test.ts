import type * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import type { ProviderCall } from '../provider-adapter.ts';
import { gitlabList, gitlabRequest, projectId } from './gitlab-api.ts';

const endpoints = {
  provider: 'gitlab' as const,
  host: 'gitlab.acme.test',
  siteUrl: 'https://gitlab.acme.test',
  apiUrl: 'https://gitlab.acme.test/api/v4',
  authorizationServer: { issuer: 'https://gitlab.acme.test' },
  requestOptions: {} as { [oauth.allowInsecureRequests]?: boolean },
};

/** A fetch that answers from a table of URL → [status, body, headers], recording what was asked. */
function stubFetch(answers: Record<string, [number, unknown, Record<string, string>?]>) {
  const asked: string[] = [];
  const fetch = (async (url: string) => {
    asked.push(url);
    const [status, body, headers = {}] = answers[url] ?? [404, { message: '404 Not Found' }];
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
  }) as unknown as typeof globalThis.fetch;
  return { asked, call: { endpoints, authorization: 'Bearer t', fetch } satisfies ProviderCall };
}

describe('GitLab REST calls', () => {
  it('follows x-next-page until it is empty', async () => {
    const base = 'https://gitlab.acme.test/api/v4/projects/acme%2Fplatform%2Ftools/repository/branches?per_page=100&page=';
    const { asked, call } = stubFetch({
      [`${base}1`]: [200, [{ name: 'a' }], { 'x-next-page': '2' }],
      [`${base}2`]: [200, [{ name: 'b' }], { 'x-next-page': '3' }],
      [`${base}3`]: [200, [{ name: 'c' }], { 'x-next-page': '' }],
    });
    const names = (await gitlabList<{ name: string }>(call, `projects/${projectId(['acme', 'platform', 'tools'])}/repository/branches`)).map((b) => b.name);
    expect(names).toEqual(['a', 'b', 'c']);
    expect(asked).toHaveLength(3);
  });

  it('reads a rate limit as "until" the reset, and insufficient_scope as the scopes that would do', async () => {
    const { call } = stubFetch({
      'https://gitlab.acme.test/api/v4/user': [429, 'Retry later', { 'ratelimit-reset': '1893456000', 'content-type': 'text/plain' }],
      'https://gitlab.acme.test/api/v4/projects/1': [403, { error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token.', scope: 'api read_api' }],
    });
    await expect(gitlabRequest(call, 'user')).rejects.toMatchObject({ code: 'rate_limited', message: expect.stringContaining('until 2030-01-01 00:00 UTC') });
    await expect(gitlabRequest(call, 'projects/1')).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('api read_api') });
  });
});
