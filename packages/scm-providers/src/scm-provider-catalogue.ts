import type { ScmProvider, ScmProviderId } from './scm-provider.ts';
import { azureDevopsEntry } from './providers/azure-devops/catalogue-entry.ts';
import { bitbucketEntry } from './providers/bitbucket/catalogue-entry.ts';
import { bitbucketDataCenterEntry } from './providers/bitbucket-data-center/catalogue-entry.ts';
import { githubEntry } from './providers/github/catalogue-entry.ts';
import { gitlabEntry } from './providers/gitlab/catalogue-entry.ts';

/** Every provider, in display order. Each entry lives in its provider's folder. */
export const scmProviders: readonly ScmProvider[] = Object.freeze([githubEntry, gitlabEntry, bitbucketEntry, bitbucketDataCenterEntry, azureDevopsEntry]);
export function getScmProvider(id: ScmProviderId): ScmProvider {
  const provider = scmProviders.find((candidate) => candidate.id === id);
  if (provider === undefined) {
    // Only reachable when an unchecked string is cast to ScmProviderId.
    throw new TypeError(`Unknown SCM provider: ${String(id)}`);
  }
  return provider;
}

/** The provider whose cloud host this is (bitbucket.org → Bitbucket), or undefined for any other host. */
export function findScmProviderByHost(host: string): ScmProvider | undefined {
  return scmProviders.find((provider) => provider.defaultHost !== '' && provider.defaultHost === host.toLowerCase());
}

export function isScmProviderId(value: unknown): value is ScmProviderId {
  return scmProviders.some((provider) => provider.id === value);
}

/**
 * Where a user removes an OAuth app's access on this provider, for a connection to `host`: the
 * provider's page on its cloud host, the same page on a self-managed host whose product has OAuth,
 * or null when there is no such page to link.
 */
export function appAuthorizationsUrlFor(providerId: ScmProviderId, host: string): string | null {
  const provider = scmProviders.find((candidate) => candidate.id === providerId);
  const page = provider?.docs.appAuthorizationsUrl;
  if (!provider || !page) return null;
  const typed = host.toLowerCase();
  if (typed === provider.defaultHost) return page;
  // A self-managed product without OAuth has no app authorizations at all.
  if (provider.selfManaged && !provider.selfManaged.oauth) return null;
  const url = new URL(page);
  if (url.host !== provider.defaultHost) return null;
  return `https://${typed}${url.pathname}${url.search}`;
}
