import { z } from 'zod';
import type { Scope } from '../oauth/scopes.ts';

/**
 * The scopes of Bitbucket Cloud's API tokens ("Create API token with scopes" on the Atlassian
 * account's security page), grouped as the form lists them.
 * https://support.atlassian.com/bitbucket-cloud/docs/api-token-permissions/
 * Unlike OAuth scopes, one API token scope implies no other: a token with
 * `write:repository:bitbucket` alone cannot read a repository (inferred from the docs, which list
 * both for endpoints that read and write).
 */
export const API_TOKEN_SCOPE_GROUPS = [
  { label: 'Account', scopes: [['read:user:bitbucket', 'Read'], ['write:user:bitbucket', 'Write']] },
  { label: 'Workspace membership', scopes: [['read:workspace:bitbucket', 'Read'], ['admin:workspace:bitbucket', 'Admin']] },
  { label: 'Projects', scopes: [['read:project:bitbucket', 'Read'], ['admin:project:bitbucket', 'Admin']] },
  {
    label: 'Repositories',
    scopes: [
      ['read:repository:bitbucket', 'Read'],
      ['write:repository:bitbucket', 'Write'],
      ['admin:repository:bitbucket', 'Admin'],
      ['delete:repository:bitbucket', 'Delete'],
    ],
  },
  { label: 'Pull requests', scopes: [['read:pullrequest:bitbucket', 'Read'], ['write:pullrequest:bitbucket', 'Write']] },
  { label: 'Issues', scopes: [['read:issue:bitbucket', 'Read'], ['write:issue:bitbucket', 'Write']] },
  { label: 'Wikis', scopes: [['read:wiki:bitbucket', 'Read'], ['write:wiki:bitbucket', 'Write']] },
  { label: 'Snippets', scopes: [['read:snippet:bitbucket', 'Read'], ['write:snippet:bitbucket', 'Write']] },
  { label: 'Webhooks', scopes: [['read:webhook:bitbucket', 'Read'], ['write:webhook:bitbucket', 'Write']] },
  { label: 'Pipelines', scopes: [['read:pipeline:bitbucket', 'Read'], ['write:pipeline:bitbucket', 'Write'], ['admin:pipeline:bitbucket', 'Admin']] },
  { label: 'Runners', scopes: [['read:runner:bitbucket', 'Read'], ['write:runner:bitbucket', 'Write']] },
] as const;

export type ApiTokenScope = (typeof API_TOKEN_SCOPE_GROUPS)[number]['scopes'][number][0];

export const API_TOKEN_SCOPES: readonly ApiTokenScope[] = API_TOKEN_SCOPE_GROUPS.flatMap((group) =>
  group.scopes.map(([scope]) => scope),
);

export function isApiTokenScope(value: unknown): value is ApiTokenScope {
  return (API_TOKEN_SCOPES as readonly unknown[]).includes(value);
}

export const apiTokenScopeSchema = z.string().refine(isApiTokenScope, {
  error: (issue) => `Unknown API token scope "${String(issue.input)}"`,
});

/**
 * The API token scope that stands for the OAuth scope an endpoint declares (the REST reference
 * lists both for each endpoint, e.g. "account" and "read:user:bitbucket" for GET /user).
 */
const FOR_OAUTH_SCOPE: Readonly<Partial<Record<Scope, ApiTokenScope>>> = {
  email: 'read:user:bitbucket',
  account: 'read:user:bitbucket',
  'account:write': 'write:user:bitbucket',
  team: 'read:workspace:bitbucket',
  'team:write': 'admin:workspace:bitbucket',
  project: 'read:project:bitbucket',
  'project:write': 'admin:project:bitbucket',
  'project:admin': 'admin:project:bitbucket',
  repository: 'read:repository:bitbucket',
  'repository:write': 'write:repository:bitbucket',
  'repository:admin': 'admin:repository:bitbucket',
  'repository:delete': 'delete:repository:bitbucket',
  pullrequest: 'read:pullrequest:bitbucket',
  'pullrequest:write': 'write:pullrequest:bitbucket',
  issue: 'read:issue:bitbucket',
  'issue:write': 'write:issue:bitbucket',
  wiki: 'read:wiki:bitbucket',
  snippet: 'read:snippet:bitbucket',
  'snippet:write': 'write:snippet:bitbucket',
  webhook: 'read:webhook:bitbucket',
  pipeline: 'read:pipeline:bitbucket',
  'pipeline:write': 'write:pipeline:bitbucket',
  'pipeline:variable': 'admin:pipeline:bitbucket',
  runner: 'read:runner:bitbucket',
  'runner:write': 'write:runner:bitbucket',
};

export function apiTokenScopeFor(scope: Scope): ApiTokenScope | undefined {
  return FOR_OAUTH_SCOPE[scope];
}

export function sortApiTokenScopes(scopes: Iterable<string>): ApiTokenScope[] {
  const wanted = new Set(scopes);
  return API_TOKEN_SCOPES.filter((scope) => wanted.has(scope));
}
