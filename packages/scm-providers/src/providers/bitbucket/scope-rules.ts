import type { ScopeRules } from '../../provider-module.ts';

/**
 * The one table of what each Bitbucket Cloud OAuth scope implies (one step; expandScopes follows
 * the chain), from https://developer.atlassian.com/cloud/bitbucket/rest/intro/#scopes. A token's
 * `scope` lists what was granted, not what that implies, so `repository:write` alone must count as
 * covering Repositories: Read. Lines marked "inferred" follow the consumer form, where ticking a
 * write or admin level ticks its read level too.
 *
 * Deliberately absent: `repository:admin` ("does not imply repository or repository:write. It
 * gives access to the admin features of a repo only") and `repository:delete`, `webhook`, `wiki`,
 * `email`, which imply nothing.
 */
export const bitbucketImpliedScopes: Readonly<Record<string, readonly string[]>> = {
  // "account: … see all email addresses" is what `email` grants; /2.0/user/emails takes either.
  account: ['email'],
  'account:write': ['account'], // inferred
  'team:write': ['team'],
  // project: "Read access (repository) to all the repositories in the projects is also granted."
  project: ['repository'],
  'project:write': ['project'], // inferred; deprecated in favour of project:admin
  'project:admin': ['project:write'], // inferred
  'repository:write': ['repository'],
  pullrequest: ['repository'],
  'pullrequest:write': ['pullrequest', 'repository:write'],
  'issue:write': ['issue'],
  'snippet:write': ['snippet'],
  'pipeline:write': ['pipeline'], // inferred
  'pipeline:variable': ['pipeline:write'], // inferred
  'runner:write': ['runner'], // inferred
};

export const bitbucketScopeRules: ScopeRules = {
  // The token response carries `scope` as one space-separated string.
  separator: /\s+/,
  implies: bitbucketImpliedScopes,
};
