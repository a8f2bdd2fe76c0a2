// The runner's adapters, keyed by provider id. A provider without an adapter here cannot be used
// by this runner (its catalogue entry says "not available yet": ScmProvider.supported).
import type { ScmProviderId } from '@runner-console/scm-providers';
import type { ProviderAdapter } from './provider-adapter.ts';
import { azureDevopsAdapter } from './azure-devops/adapter.ts';
import { bitbucketAdapter } from './bitbucket/adapter.ts';
import { bitbucketDataCenterAdapter } from './bitbucket-data-center/adapter.ts';
import { githubAdapter } from './github/adapter.ts';
import { gitlabAdapter } from './gitlab/adapter.ts';

export type ProviderAdapterRegistry = ReadonlyMap<ScmProviderId, ProviderAdapter>;

export function createProviderAdapterRegistry(adapters: readonly ProviderAdapter[]): ProviderAdapterRegistry {
  const registry = new Map<ScmProviderId, ProviderAdapter>();
  for (const adapter of adapters) {
    if (registry.has(adapter.id)) throw new Error(`Two runner adapters for ${adapter.id}.`);
    registry.set(adapter.id, adapter);
  }
  return registry;
}

/** Every adapter this runner ships. A new provider adds its adapter here. */
export const providerAdapters: ProviderAdapterRegistry = createProviderAdapterRegistry([bitbucketAdapter, bitbucketDataCenterAdapter, githubAdapter, gitlabAdapter, azureDevopsAdapter]);

export class NoAdapterError extends Error {
  readonly code = 'unsupported_host';
  constructor(readonly provider: string) {
    super(`This runner cannot serve ${provider} integrations (it has no adapter for them).`);
  }
}

export function adapterFor(provider: ScmProviderId, registry: ProviderAdapterRegistry = providerAdapters): ProviderAdapter {
  const adapter = registry.get(provider);
  if (!adapter) throw new NoAdapterError(provider);
  return adapter;
}
