import { getScmProvider } from './scm-provider-catalogue.ts';
import type { ScmProviderId, ScopeRequirement } from './scm-provider.ts';
import type { TokenInputCheck } from './provider-module.ts';
import { findProviderModule } from './provider-modules.ts';
import { expandScopes } from './provider-scopes.ts';

export type ApiTokenInputCheck = TokenInputCheck;

/**
 * Reads what a developer pasted on the token form, by the provider's own rules
 * (providers/<id>/token-input.ts): refuses what cannot be a token before anything is sealed or sent.
 */
export function readApiTokenInput(providerId: ScmProviderId, input: { email?: string; token: string }): ApiTokenInputCheck {
  const rules = findProviderModule(providerId)?.tokenInput;
  if (!rules) return { ok: false, field: 'token', code: 'token_malformed', message: `${getScmProvider(providerId).name} does not take personal access tokens here.` };
  return rules.read(input);
}

/** The token scopes a token lacks, in the catalogue's order, after the provider's implications. */
export function findMissingApiTokenScopes(providerId: ScmProviderId, granted: readonly string[]): ScopeRequirement[] {
  const have = expandScopes(providerId, granted.flatMap((entry) => entry.split(/[\s,]+/)));
  return (getScmProvider(providerId).apiTokens?.requiredScopes ?? []).filter((requirement) => !have.has(requirement.scope));
}

/** "The API token is missing scopes: read:pullrequest:bitbucket (Pull requests: Read — …). Create a new token with them." */
export function describeMissingApiTokenScopes(providerId: ScmProviderId, missing: readonly ScopeRequirement[]): string {
  const provider = getScmProvider(providerId);
  const label = provider.apiTokens?.label ?? 'token';
  if (missing.length === 0) return `The ${label} has every scope Runner Console needs.`;
  const list = missing.map((r) => `${r.scope} (${r.checkbox}: ${r.reason})`).join(', ');
  const noun = missing.length === 1 ? 'scope' : 'scopes';
  return `The ${label} is missing ${noun} ${list}. Scopes cannot be added to a token: create a new ${label} with ${missing.length === 1 ? 'it' : 'them'} ticked, and enter it here.`;
}
