import { describe, expect, it } from 'vitest';
import type { ProviderCall } from '../provider-adapter.ts';
import { bitbucketDataCenterAdapter as adapter } from './adapter.ts';
import { dcCollect } from './dc-api.ts';

describe('Bitbucket Data Center adapter', () => {
  it('reaches a company host at https://{host} with the REST API at /rest/api/1.0, and never Bitbucket Cloud', () => {
    expect(adapter.defaultEndpoints('bitbucket.acme.test:7990')).toEqual({ siteUrl: 'https://bitbucket.acme.test:7990', apiUrl: 'https://bitbucket.acme.test:7990/rest/api/1.0' });
    expect(adapter.defaultEndpoints('bitbucket.org')).toBeNull();
    expect(adapter.defaultEndpoints('')).toBeNull();
  });

  it('clones from /scm/{key}/{slug}.git, personal repositories from /scm/~user/{slug}.git', () => {
    expect(adapter.cloneUrl('https://bitbucket.acme.test/', ['ACME', 'widgets'])).toBe('https://bitbucket.acme.test/scm/acme/widgets.git');
    expect(adapter.cloneUrl('https://bitbucket.acme.test', ['~BOB', 'widgets'])).toBe('https://bitbucket.acme.test/scm/~bob/widgets.git');
  });

  it('follows start, limit, isLastPage and nextPageStart through a paged list', async () => {
    const asked: string[] = [];
    const fetch = (async (url: URL) => {
      asked.push(`${url.searchParams.get('start')}/${url.searchParams.get('limit')}`);
      const start = Number(url.searchParams.get('start'));
      const body = start === 0 ? { start: 0, limit: 100, size: 2, isLastPage: false, nextPageStart: 2, values: ['a', 'b'] } : { start: 2, limit: 100, size: 1, isLastPage: true, values: ['c'] };
      return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
    }) as unknown as typeof globalThis.fetch;
    const call = { endpoints: { host: 'bitbucket.acme.test', apiUrl: 'https://bitbucket.acme.test/rest/api/1.0' }, authorization: 'Bearer t', fetch } as unknown as ProviderCall;
    expect(await dcCollect<string>(call, 'projects/ACME/repos/widgets/branches')).toEqual(['a', 'b', 'c']);
    expect(asked).toEqual(['0/100', '2/100']);
  });
});
