import type { ScopeRules } from '../../provider-module.ts';

/**
 * What each Bitbucket Data Center permission implies, from
 * https://confluence.atlassian.com/bitbucketserver/oauth-2-0-scopes-for-incoming-links-1115665625.html
 * (OAuth scopes of an incoming link) and
 * https://confluence.atlassian.com/bitbucketserver/http-access-tokens-939515499.html (HTTP access
 * token permissions: "a token's repository permission must be as high as its project permission").
 * Each level includes the one below it.
 */
export const bitbucketDataCenterImpliedScopes: Readonly<Record<string, readonly string[]>> = {
  REPO_READ: ['PUBLIC_REPOS'],
  REPO_WRITE: ['REPO_READ'],
  REPO_ADMIN: ['REPO_WRITE'],
  PROJECT_READ: ['REPO_READ'],
  PROJECT_WRITE: ['PROJECT_READ', 'REPO_WRITE'],
  PROJECT_ADMIN: ['PROJECT_WRITE', 'REPO_ADMIN'],
  ADMIN_WRITE: ['PROJECT_ADMIN'],
  SYS_ADMIN: ['ADMIN_WRITE'],
};

export const bitbucketDataCenterScopeRules: ScopeRules = {
  // The token response carries `scope` as one space-separated string.
  separator: /\s+/,
  implies: bitbucketDataCenterImpliedScopes,
};
