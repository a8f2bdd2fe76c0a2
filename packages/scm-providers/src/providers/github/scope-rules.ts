import type { ScopeRules } from '../../provider-module.ts';

/**
 * What each GitHub OAuth App scope includes, from
 * https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps
 * (`repo` grants full control of repositories, including public_repo and repo:status; `user`
 * includes read:user and user:email; admin:X ⊇ write:X ⊇ read:X). `workflow` implies nothing and
 * is implied by nothing: pushing workflow files needs it besides `repo`.
 */
export const githubImpliedScopes: Readonly<Record<string, readonly string[]>> = {
  repo: ['repo:status', 'repo_deployment', 'public_repo', 'repo:invite', 'security_events'],
  user: ['read:user', 'user:email', 'user:follow'],
  'admin:org': ['write:org', 'manage_runners:org'],
  'write:org': ['read:org'],
  'admin:public_key': ['write:public_key'],
  'write:public_key': ['read:public_key'],
  'admin:repo_hook': ['write:repo_hook'],
  'write:repo_hook': ['read:repo_hook'],
  'admin:gpg_key': ['write:gpg_key'],
  'write:gpg_key': ['read:gpg_key'],
  'admin:enterprise': ['manage_runners:enterprise', 'manage_billing:enterprise', 'read:enterprise'],
  'write:packages': ['read:packages'],
  'write:discussion': ['read:discussion'],
  project: ['read:project'],
};

export const githubScopeRules: ScopeRules = {
  // `X-OAuth-Scopes: repo, user` and the token response's `"scope": "repo,gist"`.
  separator: /[\s,]+/,
  implies: githubImpliedScopes,
};
