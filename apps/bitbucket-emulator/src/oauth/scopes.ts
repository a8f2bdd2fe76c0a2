import { z } from 'zod';

/**
 * Bitbucket Cloud's OAuth 2.0 scopes, in the order the "Add consumer" form lists them.
 * https://developer.atlassian.com/cloud/bitbucket/bitbucket-cloud-rest-api-scopes/
 * https://support.atlassian.com/bitbucket-cloud/docs/use-oauth-on-bitbucket-cloud/
 */
export const SCOPES = [
  'email',
  'account',
  'account:write',
  'team',
  'team:write',
  'project',
  'project:write',
  'project:admin',
  'repository',
  'repository:write',
  'repository:admin',
  'repository:delete',
  'pullrequest',
  'pullrequest:write',
  'issue',
  'issue:write',
  'wiki',
  'snippet',
  'snippet:write',
  'webhook',
  'pipeline',
  'pipeline:write',
  'pipeline:variable',
  'runner',
  'runner:write',
] as const;

export type Scope = (typeof SCOPES)[number];

export const scopeSchema = z.enum(SCOPES, {
  error: (issue) => `Unknown permission "${String(issue.input)}"`,
});

export interface PermissionGroup {
  /** The group heading on the consumer form ("Repositories"). */
  label: string;
  permissions: ReadonlyArray<{ label: string; scope: Scope }>;
}

/** The permission checkboxes of Bitbucket's consumer form, with its labels. */
export const PERMISSION_GROUPS: readonly PermissionGroup[] = [
  {
    label: 'Account',
    permissions: [
      { label: 'Email', scope: 'email' },
      { label: 'Read', scope: 'account' },
      { label: 'Write', scope: 'account:write' },
    ],
  },
  {
    label: 'Workspace membership',
    permissions: [
      { label: 'Read', scope: 'team' },
      { label: 'Write', scope: 'team:write' },
    ],
  },
  {
    label: 'Projects',
    permissions: [
      { label: 'Read', scope: 'project' },
      { label: 'Write', scope: 'project:write' },
      { label: 'Admin', scope: 'project:admin' },
    ],
  },
  {
    label: 'Repositories',
    permissions: [
      { label: 'Read', scope: 'repository' },
      { label: 'Write', scope: 'repository:write' },
      { label: 'Admin', scope: 'repository:admin' },
      { label: 'Delete', scope: 'repository:delete' },
    ],
  },
  {
    label: 'Pull requests',
    permissions: [
      { label: 'Read', scope: 'pullrequest' },
      { label: 'Write', scope: 'pullrequest:write' },
    ],
  },
  {
    label: 'Issues',
    permissions: [
      { label: 'Read', scope: 'issue' },
      { label: 'Write', scope: 'issue:write' },
    ],
  },
  { label: 'Wikis', permissions: [{ label: 'Read and write', scope: 'wiki' }] },
  {
    label: 'Snippets',
    permissions: [
      { label: 'Read', scope: 'snippet' },
      { label: 'Write', scope: 'snippet:write' },
    ],
  },
  { label: 'Webhooks', permissions: [{ label: 'Read and write', scope: 'webhook' }] },
  {
    label: 'Pipelines',
    permissions: [
      { label: 'Read', scope: 'pipeline' },
      { label: 'Write', scope: 'pipeline:write' },
      { label: 'Edit variables', scope: 'pipeline:variable' },
    ],
  },
  {
    label: 'Runners',
    permissions: [
      { label: 'Read', scope: 'runner' },
      { label: 'Write', scope: 'runner:write' },
    ],
  },
];

/** What the consent page says each scope allows. */
export const SCOPE_DESCRIPTIONS: Readonly<Record<Scope, string>> = {
  email: 'Read your primary email address',
  account: 'Read your account information',
  'account:write': 'Read and modify your account information',
  team: 'Read your workspace membership information',
  'team:write': 'Read and modify your workspace membership information',
  project: "Read your workspaces' project settings and the repositories in them",
  'project:write': "Read and modify your workspaces' project settings",
  'project:admin': "Administer your workspaces' projects",
  repository: 'Read your repositories',
  'repository:write': 'Read and modify your repositories',
  'repository:admin': 'Administer your repositories',
  'repository:delete': 'Delete your repositories',
  pullrequest: 'Read your repositories and their pull requests',
  'pullrequest:write': 'Read and modify your repositories and their pull requests',
  issue: "Read your repositories' issues",
  'issue:write': "Read and modify your repositories' issues",
  wiki: "Read and modify your repositories' wikis",
  snippet: 'Read your snippets',
  'snippet:write': 'Read and modify your snippets',
  webhook: "Read and modify your repositories' webhooks",
  pipeline: 'Read your pipelines',
  'pipeline:write': 'Read and modify your pipelines',
  'pipeline:variable': "Read and modify your pipelines' variables",
  runner: "Read your workspaces' and repositories' runners",
  'runner:write': "Read and modify your workspaces' and repositories' runners",
};

/**
 * Scopes that a scope grants by itself (one step; `expandScopes` follows the chain).
 * Documented on the scopes page linked above unless marked "inferred".
 */
const DIRECT_IMPLICATIONS: Readonly<Partial<Record<Scope, readonly Scope[]>>> = {
  // Inferred: "account" lets an app "see all email addresses", which is what "email" grants
  // (and integrations read /2.0/user/emails with "account" alone).
  account: ['email'],
  'account:write': ['account'], // inferred: write implies read
  'team:write': ['team'],
  // "Read access (repository) to all the repositories in the projects is also granted."
  project: ['repository'],
  'project:write': ['project'], // inferred; project:write is deprecated in favour of project:admin
  'project:admin': ['project:write'], // inferred: admin implies write
  'repository:write': ['repository'],
  // repository:admin and repository:delete imply nothing: "This scope does not imply
  // repository or repository:write. It gives access to the admin features of a repo only."
  pullrequest: ['repository'],
  'pullrequest:write': ['pullrequest', 'repository:write'],
  'issue:write': ['issue'],
  'snippet:write': ['snippet'],
  'pipeline:write': ['pipeline'], // inferred: write implies read
  'pipeline:variable': ['pipeline:write'], // inferred
  'runner:write': ['runner'], // inferred: write implies read
};

/** The scopes a set of scopes grants, including everything they imply, in catalogue order. */
export function expandScopes(scopes: Iterable<Scope>): Scope[] {
  const granted = new Set<Scope>();
  const pending = [...scopes];
  for (let scope = pending.pop(); scope !== undefined; scope = pending.pop()) {
    if (granted.has(scope)) continue;
    granted.add(scope);
    pending.push(...(DIRECT_IMPLICATIONS[scope] ?? []));
  }
  return sortScopes(granted);
}

export function sortScopes(scopes: Iterable<Scope>): Scope[] {
  const wanted = new Set(scopes);
  return SCOPES.filter((scope) => wanted.has(scope));
}

/** Parses a space-separated scope list as stored in the database. Unknown names are dropped. */
export function parseScopeList(value: string): Scope[] {
  return sortScopes(
    value.split(' ').filter((name): name is Scope => (SCOPES as readonly string[]).includes(name)),
  );
}

export function formatScopeList(scopes: Iterable<Scope>): string {
  return sortScopes(scopes).join(' ');
}
