import type { ScopeRules } from '../../provider-module.ts';

/**
 * What each GitLab scope includes, from
 * https://docs.gitlab.com/user/profile/personal_access_tokens/#personal-access-token-scopes and
 * https://docs.gitlab.com/integration/oauth_provider/ (the same scopes for OAuth applications):
 * `api` grants complete read/write access to the API and to repositories over Git-over-HTTP, so it
 * covers every narrower scope; `read_api` reads the whole API, the current user (`/user`) included;
 * `write_repository` grants read-write access to repositories, so it covers `read_repository`.
 */
export const gitlabImpliedScopes: Readonly<Record<string, readonly string[]>> = {
  api: ['read_api', 'read_user', 'read_repository', 'write_repository'],
  read_api: ['read_user'],
  write_repository: ['read_repository'],
  write_registry: ['read_registry'],
};

export const gitlabScopeRules: ScopeRules = {
  // The token answer's `"scope": "read_user read_api"`; /oauth/token/info and
  // /personal_access_tokens/self answer arrays.
  separator: /[\s,]+/,
  implies: gitlabImpliedScopes,
};
