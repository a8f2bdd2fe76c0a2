import type { ScmProviderModule } from '../../provider-module.ts';
import { azureDevopsEntry } from './catalogue-entry.ts';
import { azureDevopsExampleUrl, parseAzureDevopsContextLink, readLegacyAzureDevopsHost } from './context-url.ts';
import { azureDevopsScopeRules } from './scope-rules.ts';
import { azureDevopsTokenInput } from './token-input.ts';

/** dev.azure.com (Entra ID OAuth and PATs) and Azure DevOps Server (PATs, at any host and collection path). */
export const azureDevopsModule: ScmProviderModule = {
  id: 'azure-devops',
  entry: azureDevopsEntry,
  scopes: azureDevopsScopeRules,
  tokenInput: azureDevopsTokenInput,
  parseContextLink: parseAzureDevopsContextLink,
  exampleUrl: azureDevopsExampleUrl,
  readHostAlias: readLegacyAzureDevopsHost,
};
