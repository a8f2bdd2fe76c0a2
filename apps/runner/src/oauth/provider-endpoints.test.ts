import { describe, expect, it } from 'vitest';
import { providerSitesOf } from './provider-endpoints.ts';

describe('providerSitesOf', () => {
  it('reports the origin of the configured Bitbucket site for bitbucket.org', () => {
    expect(providerSitesOf({ bitbucketUrl: 'http://localhost:8082' })).toEqual([
      { host: 'bitbucket.org', origin: 'http://localhost:8082' },
    ]);
    expect(providerSitesOf({ bitbucketUrl: 'https://bitbucket.org/' })).toEqual([
      { host: 'bitbucket.org', origin: 'https://bitbucket.org' },
    ]);
  });
});
