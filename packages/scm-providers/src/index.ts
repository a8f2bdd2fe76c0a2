// The provider catalogue: names, hosts, URLs, scopes and their reasons, docs links, and the
// parsing of provider hosts and context URLs.
export { scmProviders, getScmProvider, findScmProviderByHost, isScmProviderId, appAuthorizationsUrlFor } from './scm-provider-catalogue.ts';
export type {
  ScmProvider,
  ScmProviderId,
  ScmProviderIcon,
  ScmProviderDocs,
  ScmProviderOAuth,
  OAuthClientKind,
  ScmProviderApiTokens,
  ScmProviderSelfManaged,
  ScopeRequirement,
} from './scm-provider.ts';
export { expandScopes, splitScopes, findMissingScopes, describeMissingScopes } from './provider-scopes.ts';
export { classifyProviderHost } from './classify-provider-host.ts';
export type { ProviderHostClassification } from './classify-provider-host.ts';
export { isValidBranchName, isValidTagName } from './git-ref-name.ts';
export { parseContextUrl, servedHostsOf } from './context-url.ts';
export type { ServedHost, ParseContextUrlOptions } from './context-url.ts';
export { hostOfContextUrl } from './host-of-context-url.ts';
export { readTenantInput } from './provider-tenant.ts';
export type { TenantInput } from './provider-tenant.ts';
export { MAX_URL_INPUT_LENGTH } from './read-url-like.ts';
export { readApiTokenInput, findMissingApiTokenScopes, describeMissingApiTokenScopes } from './api-token-input.ts';
export type { ApiTokenInputCheck } from './api-token-input.ts';
export { scmProviderIds } from './provider-ids.ts';
export { apiTokenLabelWithArticle, clientIdMissingMessage, clientSecretMissingMessage, pullRequestLabel, pullRequestName, withIndefiniteArticle } from './provider-wording.ts';
export type {
  ContextUrl,
  ContextUrlBase,
  ContextUrlTarget,
  ContextUrlResult,
  ContextUrlRefusalReason,
  ProviderLink,
  ScopeRules,
  TokenInputCheck,
  TokenInputRules,
  ScmProviderModule,
} from './provider-module.ts';
export { scmProviderModules, findProviderModule } from './provider-modules.ts';
