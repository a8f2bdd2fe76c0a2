import * as oauth from 'oauth4webapi';
import { getScmProvider } from '@runner-console/scm-providers';
import type { RunnerConfig } from '../config.ts';

export interface ProviderEndpoints {
  host: string;
  /** Site origin: OAuth pages and git over HTTPS (https://bitbucket.org). */
  siteUrl: string;
  /** REST API origin (https://api.bitbucket.org). */
  apiUrl: string;
  authorizationServer: oauth.AuthorizationServer;
  /** Plain http is allowed only when the configured base URL is http (the local emulator). */
  requestOptions: { [oauth.allowInsecureRequests]?: boolean };
}

/**
 * The web origin of each provider host this runner is configured for (http://localhost:8082 for
 * bitbucket.org under `npm start`). Reported in the hello, so the dashboard can take links on that
 * origin; a link there reads as a link on the host, and clone URLs still come from `endpointsForHost`.
 */
export function providerSitesOf(config: Pick<RunnerConfig, 'bitbucketUrl'>): { host: string; origin: string }[] {
  return [{ host: 'bitbucket.org', origin: new URL(config.bitbucketUrl).origin }];
}

/**
 * Where a provider host really lives. Only the runner's own configuration decides the URLs: an
 * integration (which comes from the BFF) names a host, never a URL, so a compromised BFF cannot point
 * the runner's token requests, and so the client secret, somewhere else.
 */
export function endpointsForHost(config: RunnerConfig, host: string): ProviderEndpoints {
  if (host !== 'bitbucket.org') throw Object.assign(new Error(`This runner has no endpoints for ${host}.`), { code: 'unsupported_host' });
  const bitbucket = getScmProvider('bitbucket');
  const siteUrl = config.bitbucketUrl;
  const insecure = siteUrl.startsWith('http://') || config.bitbucketApiUrl.startsWith('http://');
  return {
    host,
    siteUrl,
    apiUrl: config.bitbucketApiUrl,
    authorizationServer: {
      issuer: siteUrl,
      authorization_endpoint: `${siteUrl}${bitbucket.oauth?.authorizePath ?? '/site/oauth2/authorize'}`,
      token_endpoint: `${siteUrl}${bitbucket.oauth?.tokenPath ?? '/site/oauth2/access_token'}`,
    },
    requestOptions: insecure ? { [oauth.allowInsecureRequests]: true } : {},
  };
}
