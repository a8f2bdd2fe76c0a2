import { getScmProvider } from './scm-provider-catalogue.ts';
import type { ScmProviderId, ScopeRequirement } from './scm-provider.ts';

/**
 * Scopes each Bitbucket scope implies, following
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/#scopes
 * A token's `scopes` lists what was granted, not what that implies, so `repository:write` alone
 * must count as covering Repositories: Read.
 *
 * Deliberately NOT here: `repository:admin`, which the docs say "does not imply repository or
 * repository:write" (admin features only); and `repository:delete`, `webhook`, `wiki`, `email`,
 * which imply nothing.
 */
const BITBUCKET_IMPLIED_SCOPES: Readonly<Record<string, readonly string[]>> = {
  // Stated on the scopes page.
  'repository:write': ['repository'],
  pullrequest: ['repository'],
  'pullrequest:write': ['pullrequest', 'repository:write'],
  'issue:write': ['issue'],
  'snippet:write': ['snippet'],
  'team:write': ['team'],
  // A write or admin level includes its read level, as on the consumer form's checkboxes.
  'account:write': ['account'],
  'project:admin': ['project'],
  'pipeline:write': ['pipeline'],
  'runner:write': ['runner'],
};

/** The granted scopes plus everything they imply, transitively. Unknown scopes are kept as they are. */
export function expandBitbucketScopes(granted: readonly string[]): Set<string> {
  const expanded = new Set<string>();
  const pending = splitScopes(granted);
  for (let scope = pending.pop(); scope !== undefined; scope = pending.pop()) {
    if (expanded.has(scope)) continue;
    expanded.add(scope);
    pending.push(...(BITBUCKET_IMPLIED_SCOPES[scope] ?? []));
  }
  return expanded;
}

/**
 * The required scopes a grant does not cover, in the catalogue's order (empty when all are
 * covered), so an error can name each checkbox an admin must tick.
 */
export function findMissingScopes(
  providerId: ScmProviderId,
  granted: readonly string[],
): ScopeRequirement[] {
  const required = getScmProvider(providerId).oauth?.requiredScopes ?? [];
  const covered =
    providerId === 'bitbucket' ? expandBitbucketScopes(granted) : new Set(splitScopes(granted));
  return required.filter((requirement) => !covered.has(requirement.scope));
}

/**
 * A sentence for an admin naming the checkboxes to tick, e.g.
 * "The Bitbucket OAuth consumer is missing permissions: Account: Read (git author name and e-mail).
 * Tick them in the consumer’s settings on Bitbucket, then connect again."
 */
export function describeMissingScopes(
  providerId: ScmProviderId,
  missing: readonly ScopeRequirement[],
): string {
  const { name } = getScmProvider(providerId);
  if (missing.length === 0)
    return `The ${name} OAuth consumer has every permission Runner Console needs.`;
  const list = missing
    .map((requirement) => `${requirement.checkbox} (${requirement.reason})`)
    .join(', ');
  const noun = missing.length === 1 ? 'permission' : 'permissions';
  const pronoun = missing.length === 1 ? 'it' : 'them';
  return `The ${name} OAuth consumer is missing ${noun}: ${list}. Tick ${pronoun} in the consumer’s settings on ${name}, then connect again.`;
}

// Bitbucket's token response carries scopes as one space-separated string; accept either form.
function splitScopes(granted: readonly string[]): string[] {
  return granted.flatMap((entry) => entry.split(/\s+/)).filter((scope) => scope !== '');
}
