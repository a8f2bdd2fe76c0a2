import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { endpointsFor, parseProviderEndpoints, providerSitesOf } from './provider-endpoints.ts';
import { createProviderAdapterRegistry, providerAdapters } from './provider-registry.ts';
import type { ProviderAdapter } from './provider-adapter.ts';
import type { ScmProviderId } from '@runner-console/scm-providers';

const token = 'rct_provider_endpoints_unit_test';

describe('parseProviderEndpoints', () => {
  it('reads host=URL entries, with an optional api=URL', () => {
    expect(parseProviderEndpoints(' github.com=http://localhost:8083  bitbucket.org=http://localhost:8082/,api=http://localhost:8082/2.0 ')).toEqual([
      { host: 'github.com', siteUrl: 'http://localhost:8083', apiUrl: null },
      { host: 'bitbucket.org', siteUrl: 'http://localhost:8082', apiUrl: 'http://localhost:8082/2.0' },
    ]);
    expect(parseProviderEndpoints('')).toEqual([]);
  });

  it.each([
    ['http://localhost:8083', 'start with the host'],
    ['github.com=', 'is not a URL'],
    ['github.com=ftp://x', 'http(s) URL'],
    ['github.com=https://user:pw@ghe.test', 'without credentials'],
    ['github.com=https://a.test,web=https://b.test', 'only api=URL'],
    ['github.com=https://a.test github.com=https://b.test', 'given twice'],
  ])('refuses %s, saying why', (text, why) => {
    expect(() => parseProviderEndpoints(text)).toThrow(why);
  });
});

describe('endpointsFor', () => {
  it('gives the cloud defaults with no configuration', () => {
    const config = loadConfig({ RUNNER_TOKEN: token });
    expect(endpointsFor(config, { provider: 'bitbucket', host: 'bitbucket.org' })).toMatchObject({
      siteUrl: 'https://bitbucket.org',
      apiUrl: 'https://api.bitbucket.org/2.0',
      authorizationServer: { authorization_endpoint: 'https://bitbucket.org/site/oauth2/authorize', token_endpoint: 'https://bitbucket.org/site/oauth2/access_token' },
      requestOptions: {},
    });
    expect(providerSitesOf(config)).toEqual([]);
  });

  it('takes a host from the flag and from PROVIDER_ENDPOINTS (the flag wins), and the adapter adds the API path', () => {
    const fromEnv = loadConfig({ RUNNER_TOKEN: token, PROVIDER_ENDPOINTS: 'bitbucket.org=http://localhost:9000' });
    expect(endpointsFor(fromEnv, { provider: 'bitbucket', host: 'bitbucket.org' })).toMatchObject({ siteUrl: 'http://localhost:9000', apiUrl: 'http://localhost:9000/2.0' });
    const fromFlag = loadConfig({ RUNNER_TOKEN: token, PROVIDER_ENDPOINTS: 'bitbucket.org=http://localhost:9000' }, ['--provider-endpoint', 'bitbucket.org=http://localhost:9001']);
    expect(endpointsFor(fromFlag, { provider: 'bitbucket', host: 'bitbucket.org' }).siteUrl).toBe('http://localhost:9001');
    expect(providerSitesOf(fromFlag)).toEqual([{ host: 'bitbucket.org', origin: 'http://localhost:9001' }]);
  });

  it('keeps BITBUCKET_URL and BITBUCKET_API_URL working', () => {
    const config = loadConfig({ RUNNER_TOKEN: token, BITBUCKET_URL: 'http://localhost:8082/', BITBUCKET_API_URL: 'http://localhost:8082' });
    expect(endpointsFor(config, { provider: 'bitbucket', host: 'bitbucket.org' })).toMatchObject({ siteUrl: 'http://localhost:8082', apiUrl: 'http://localhost:8082/2.0' });
    expect(providerSitesOf(config)).toEqual([{ host: 'bitbucket.org', origin: 'http://localhost:8082' }]);
  });

  it('reaches a self-managed host at https://{host} with the adapter’s API path, and refuses a host the provider cannot serve', () => {
    const selfManaged = {
      ...providerAdapters.get('bitbucket')!,
      id: 'github',
      name: 'GitHub',
      defaultEndpoints: (host: string) => ({ siteUrl: `https://${host}`, apiUrl: `https://${host}/api/v3` }),
    } as ProviderAdapter;
    const registry = createProviderAdapterRegistry([selfManaged, providerAdapters.get('bitbucket')!]);
    const config = loadConfig({ RUNNER_TOKEN: token });
    expect(endpointsFor(config, { provider: 'github', host: 'GHE.acme.corp' }, registry)).toMatchObject({
      host: 'ghe.acme.corp',
      siteUrl: 'https://ghe.acme.corp',
      apiUrl: 'https://ghe.acme.corp/api/v3',
      authorizationServer: { authorization_endpoint: 'https://ghe.acme.corp/login/oauth/authorize' },
    });
    expect(() => endpointsFor(config, { provider: 'bitbucket', host: 'bitbucket.acme.corp' })).toThrow('no endpoints for bitbucket.acme.corp');
  });

  it('refuses a provider the runner has no adapter for', () => {
    // Every provider the catalogue names has one today: an id from a newer BFF stands in.
    expect(() => endpointsFor(loadConfig({ RUNNER_TOKEN: token }), { provider: 'sourcehut' as unknown as ScmProviderId, host: 'git.sr.ht' })).toThrow('no adapter');
  });
});

describe('the adapter registry', () => {
  it('has Bitbucket, and refuses two adapters for one provider', () => {
    expect([...providerAdapters.keys()]).toContain('bitbucket');
    const bitbucket = providerAdapters.get('bitbucket')!;
    expect(() => createProviderAdapterRegistry([bitbucket, bitbucket])).toThrow('Two runner adapters for bitbucket');
  });
});

describe('EXTRA_CA_CERTS', () => {
  it('fails fast on a missing file or one without a certificate', () => {
    expect(() => loadConfig({ RUNNER_TOKEN: token, EXTRA_CA_CERTS: '/nonexistent/ca.pem' })).toThrow('EXTRA_CA_CERTS: cannot read /nonexistent/ca.pem');
    expect(() => loadConfig({ RUNNER_TOKEN: token, EXTRA_CA_CERTS: '/etc/hostname' })).toThrow('holds no PEM certificate');
  });
});
