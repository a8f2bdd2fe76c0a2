import * as oauth from 'oauth4webapi';
import { getScmProvider, type ScmProviderId } from '@runner-console/scm-providers';
import type { ProviderEndpoints } from './provider-adapter.ts';
import { adapterFor, providerAdapters, type ProviderAdapterRegistry } from './provider-registry.ts';

export type { ProviderEndpoints };

/** One host pointed elsewhere by the runner's configuration (`--provider-endpoint`, PROVIDER_ENDPOINTS). */
export interface EndpointOverride {
  /** As integrations name it: lower case, with a port when it is not the default. */
  host: string;
  siteUrl: string;
  /** The REST API base; null: the adapter derives it from the site (apiUrlForSite). */
  apiUrl: string | null;
}

const HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/;

/**
 * Reads `host=url[,api=url]` entries, separated by spaces, commas between entries not allowed
 * (`github.com=http://localhost:8083 bitbucket.org=http://localhost:8082,api=http://localhost:8082/2.0`).
 * Throws an Error whose message says which entry is wrong and why.
 */
export function parseProviderEndpoints(text: string): EndpointOverride[] {
  const overrides: EndpointOverride[] = [];
  for (const entry of text.split(/\s+/).filter(Boolean)) {
    const at = entry.indexOf('=');
    const host = entry.slice(0, at).toLowerCase();
    const [site = '', ...options] = entry.slice(at + 1).split(',');
    if (at <= 0 || !HOST.test(host)) throw new Error(`"${entry}": start with the host, such as github.com=https://github.internal.`);
    const siteUrl = webUrl(site, entry);
    let apiUrl: string | null = null;
    for (const option of options) {
      if (!option.startsWith('api=')) throw new Error(`"${entry}": after the URL only api=URL may follow.`);
      apiUrl = webUrl(option.slice(4), entry);
    }
    if (overrides.some((o) => o.host === host)) throw new Error(`"${entry}": ${host} is given twice.`);
    overrides.push({ host, siteUrl, apiUrl });
  }
  return overrides;
}

function webUrl(value: string, entry: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`"${entry}": ${value || 'the URL'} is not a URL.`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) {
    throw new Error(`"${entry}": use an http(s) URL without credentials, query or fragment.`);
  }
  return url.href.replace(/\/+$/, '');
}

type EndpointsConfig = { providerEndpoints: readonly EndpointOverride[] };

/**
 * The web origin of each host this runner's configuration points elsewhere (http://localhost:8082
 * for bitbucket.org under `npm start`). Reported in the hello, so the dashboard can take links on
 * that origin; a link there reads as a link on the host, and clone URLs still come from endpointsFor.
 */
export function providerSitesOf(config: EndpointsConfig): { host: string; origin: string }[] {
  return config.providerEndpoints.map((o) => ({ host: o.host, origin: new URL(o.siteUrl).origin }));
}

export class NoEndpointsError extends Error {
  readonly code = 'unsupported_host';
}

/**
 * Where a provider host really lives. Only the runner's own configuration and the provider's
 * adapter decide the URLs: an integration (which comes from the BFF) names a provider and a host,
 * and its secret is sealed to that host, never to a URL. So a compromised BFF cannot point the
 * runner's token requests, and so the client secret, somewhere else.
 */
export function endpointsFor(
  config: EndpointsConfig,
  integration: { provider: ScmProviderId; host: string; issuerUrl?: string | null; virtualDirectory?: string | null },
  registry: ProviderAdapterRegistry = providerAdapters,
): ProviderEndpoints {
  const adapter = adapterFor(integration.provider, registry);
  const host = integration.host.toLowerCase();
  const override = config.providerEndpoints.find((o) => o.host === host);
  const urls = override ? { siteUrl: override.siteUrl, apiUrl: override.apiUrl ?? adapter.apiUrlForSite(override.siteUrl) } : adapter.defaultEndpoints(host);
  if (!urls) throw new NoEndpointsError(`This runner has no endpoints for ${host}: ${adapter.name} is not served there.`);
  const oauthFacts = getScmProvider(integration.provider).oauth;
  const insecure = urls.siteUrl.startsWith('http://') || urls.apiUrl.startsWith('http://');
  return {
    provider: integration.provider,
    host,
    siteUrl: urls.siteUrl,
    apiUrl: urls.apiUrl,
    authorizationServer: {
      issuer: urls.siteUrl,
      authorization_endpoint: `${urls.siteUrl}${oauthFacts?.authorizePath ?? ''}`,
      token_endpoint: `${urls.siteUrl}${oauthFacts?.tokenPath ?? ''}`,
    },
    requestOptions: insecure ? { [oauth.allowInsecureRequests]: true } : {},
    issuerUrl: integration.issuerUrl ?? null,
    virtualDirectory: integration.virtualDirectory ?? null,
    siteForHost: (other) => config.providerEndpoints.find((o) => o.host === other.toLowerCase())?.siteUrl ?? null,
  };
}

/**
 * The OAuth endpoints of an integration: the adapter's discovery (an identity provider's tenant)
 * or the fixed paths on the site. The refusal of a discovery is an Error with a sentence for the admin.
 */
export async function authorizationServerOf(endpoints: ProviderEndpoints, registry: ProviderAdapterRegistry = providerAdapters): Promise<oauth.AuthorizationServer> {
  const adapter = adapterFor(endpoints.provider, registry);
  return adapter.discoverAuthorizationServer ? adapter.discoverAuthorizationServer({ endpoints, fetch }) : endpoints.authorizationServer;
}
