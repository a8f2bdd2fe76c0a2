// Every provider module, keyed by id. A new provider adds its module here (docs/ARCHITECTURE.md).
import type { ScmProviderId } from './provider-ids.ts';
import type { ScmProviderModule } from './provider-module.ts';
import { azureDevopsModule } from './providers/azure-devops/module.ts';
import { bitbucketModule } from './providers/bitbucket/module.ts';
import { bitbucketDataCenterModule } from './providers/bitbucket-data-center/module.ts';
import { githubModule } from './providers/github/module.ts';
import { gitlabModule } from './providers/gitlab/module.ts';

const modules: readonly ScmProviderModule[] = [githubModule, gitlabModule, bitbucketModule, bitbucketDataCenterModule, azureDevopsModule];

export const scmProviderModules: ReadonlyMap<ScmProviderId, ScmProviderModule> = new Map(modules.map((module) => [module.id, module]));

/** The module of a provider, or undefined for a provider that has none yet. */
export function findProviderModule(id: ScmProviderId): ScmProviderModule | undefined {
  return scmProviderModules.get(id);
}
