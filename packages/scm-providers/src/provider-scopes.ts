import { getScmProvider } from './scm-provider-catalogue.ts';
import type { ScmProviderId, ScopeRequirement } from './scm-provider.ts';
import { findProviderModule } from './provider-modules.ts';

/** Granted scopes as a list, whether they came as one string (`"repo,user"`, `"account repository"`) or many. */
export function splitScopes(providerId: ScmProviderId, granted: readonly string[]): string[] {
  const separator = findProviderModule(providerId)?.scopes.separator ?? /[\s,]+/;
  return granted.flatMap((entry) => entry.split(separator)).filter((scope) => scope !== '');
}

/**
 * The granted scopes plus everything they imply, transitively, by the provider's own table
 * (providers/<id>/scope-rules.ts). Unknown scopes are kept as they are.
 */
export function expandScopes(providerId: ScmProviderId, granted: readonly string[]): Set<string> {
  const implies = findProviderModule(providerId)?.scopes.implies ?? {};
  const expanded = new Set<string>();
  const pending = splitScopes(providerId, granted);
  for (let scope = pending.pop(); scope !== undefined; scope = pending.pop()) {
    if (expanded.has(scope)) continue;
    expanded.add(scope);
    pending.push(...(implies[scope] ?? []));
  }
  return expanded;
}

/**
 * The required scopes a grant does not cover, in the catalogue's order (empty when all are
 * covered), so an error can name each checkbox an admin must tick.
 */
export function findMissingScopes(providerId: ScmProviderId, granted: readonly string[]): ScopeRequirement[] {
  const required = getScmProvider(providerId).oauth?.requiredScopes ?? [];
  const covered = expandScopes(providerId, granted);
  return required.filter((requirement) => !covered.has(requirement.scope));
}

/**
 * A sentence for an admin naming the checkboxes to tick, e.g.
 * "The Bitbucket OAuth consumer is missing permissions: Account: Read (git author name and e-mail).
 * Tick them in the consumer’s settings on Bitbucket, then connect again."
 */
export function describeMissingScopes(providerId: ScmProviderId, missing: readonly ScopeRequirement[]): string {
  const { name } = getScmProvider(providerId);
  if (missing.length === 0) return `The ${name} OAuth consumer has every permission Runner Console needs.`;
  const list = missing.map((requirement) => `${requirement.checkbox} (${requirement.reason})`).join(', ');
  const noun = missing.length === 1 ? 'permission' : 'permissions';
  const pronoun = missing.length === 1 ? 'it' : 'them';
  return `The ${name} OAuth consumer is missing ${noun}: ${list}. Tick ${pronoun} in the consumer’s settings on ${name}, then connect again.`;
}
