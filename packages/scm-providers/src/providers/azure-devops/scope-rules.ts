import type { ScopeRules } from '../../provider-module.ts';

/**
 * What each Azure DevOps scope includes, from
 * https://learn.microsoft.com/en-us/azure/devops/integrate/get-started/authentication/oauth#scopes
 * (Code: vso.code ⊂ vso.code_write ⊂ vso.code_manage ⊂ vso.code_full; vso.code_status ⊃ vso.code).
 * Entra writes the resource in front of them (`499b84ac-…/vso.code_write`): the runner's adapter
 * reads both forms.
 */
export const azureDevopsImpliedScopes: Readonly<Record<string, readonly string[]>> = {
  'vso.code_full': ['vso.code_manage', 'vso.code_status'],
  'vso.code_manage': ['vso.code_write'],
  'vso.code_write': ['vso.code'],
  'vso.code_status': ['vso.code'],
  'vso.profile_write': ['vso.profile'],
};

export const azureDevopsScopeRules: ScopeRules = {
  // Entra's token answer: `"scope": "499b84ac-…/vso.code_write openid profile email"`.
  separator: /\s+/,
  implies: azureDevopsImpliedScopes,
};
