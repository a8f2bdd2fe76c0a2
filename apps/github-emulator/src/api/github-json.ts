import type { components } from '@octokit/openapi-types';
import type { CommitInfo } from '@runner-console/emulator-kit';
import type { Account, PullRequest, Repository, User } from '../state.ts';

// Every answer is typed from GitHub's own OpenAPI description (@octokit/openapi-types), so a
// field GitHub's schema lacks, or names differently, fails `npm run typecheck`.
type Schemas = components['schemas'];
export type SimpleUser = Schemas['simple-user'];
export type PrivateUser = Schemas['private-user'];
export type EmailJson = Schemas['email'];
export type FullRepository = Schemas['full-repository'];
export type RepositoryJson = Schemas['repository'];
export type ShortBranch = Schemas['short-branch'];
export type BranchWithProtection = Schemas['branch-with-protection'];
export type TagJson = Schemas['tag'];
export type CommitJson = Schemas['commit'];
export type GitRefJson = Schemas['git-ref'];
export type PullRequestJson = Schemas['pull-request'];
export type PullRequestSimple = Schemas['pull-request-simple'];
export type BasicError = Schemas['basic-error'];

/** The origins an answer's URLs are built from: web pages and git, and the REST API. */
export interface Origins {
  web: string;
  api: string;
}

function nodeId(kind: string, id: number): string {
  return Buffer.from(`0:${kind}${id}`).toString('base64');
}

export function simpleUser(origins: Origins, account: Account, user?: User): SimpleUser {
  const api = `${origins.api}/users/${account.login}`;
  return {
    login: account.login,
    id: account.id,
    node_id: nodeId(account.type, account.id),
    avatar_url: `${origins.web}/${account.login}.png`,
    gravatar_id: '',
    url: api,
    html_url: `${origins.web}/${account.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: account.type,
    site_admin: false,
    ...(user ? { name: user.name } : {}),
  };
}

export function privateUser(origins: Origins, user: User, counts: { privateRepos: number }): PrivateUser {
  const base = simpleUser(origins, { id: user.id, login: user.login, type: 'User' });
  return {
    ...base,
    name: user.name,
    company: null,
    blog: '',
    location: null,
    // The public profile e-mail; GitHub answers null unless the user made one public.
    email: null,
    hireable: null,
    bio: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: user.createdAt,
    updated_at: user.createdAt,
    private_gists: 0,
    total_private_repos: counts.privateRepos,
    owned_private_repos: counts.privateRepos,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: false,
  };
}

export interface RepositoryPermissions {
  admin: boolean;
  maintain: boolean;
  push: boolean;
  triage: boolean;
  pull: boolean;
}

export function repositoryJson(
  origins: Origins,
  repo: Repository,
  permissions: RepositoryPermissions | undefined,
): RepositoryJson {
  const fullName = `${repo.owner.login}/${repo.name}`;
  const api = `${origins.api}/repos/${fullName}`;
  const html = `${origins.web}/${fullName}`;
  const host = new URL(origins.web).host;
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: fullName,
    owner: simpleUser(origins, repo.owner),
    private: repo.private,
    html_url: html,
    description: repo.description,
    fork: repo.parentId !== null,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://${host}/${fullName}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@${host}:${fullName}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${html}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: html,
    homepage: null,
    language: 'TypeScript',
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 1,
    default_branch: repo.defaultBranch,
    open_issues_count: 0,
    open_issues: 0,
    has_issues: true,
    has_projects: true,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    archived: false,
    disabled: false,
    visibility: repo.private ? 'private' : 'public',
    pushed_at: repo.createdAt,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    license: null,
    ...(permissions ? { permissions } : {}),
  };
}

export function fullRepositoryJson(
  origins: Origins,
  repo: Repository,
  permissions: RepositoryPermissions | undefined,
  parent: Repository | undefined,
): FullRepository {
  const base = repositoryJson(origins, repo, permissions);
  return {
    ...base,
    pushed_at: repo.createdAt,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    has_discussions: false,
    subscribers_count: 1,
    network_count: parent ? 2 : 1,
    ...(parent ? { parent: repositoryJson(origins, parent, undefined), source: repositoryJson(origins, parent, undefined) } : {}),
  };
}

/** Commit dates as GitHub writes them: UTC with a Z. */
function isoUtc(date: string): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function commitJson(origins: Origins, repo: Repository, commit: CommitInfo): CommitJson {
  const fullName = `${repo.owner.login}/${repo.name}`;
  const api = `${origins.api}/repos/${fullName}`;
  const person = { name: commit.authorName, email: commit.authorEmail, date: isoUtc(commit.date) };
  return {
    url: `${api}/commits/${commit.hash}`,
    sha: commit.hash,
    node_id: nodeId('Commit', Number.parseInt(commit.hash.slice(0, 8), 16)),
    html_url: `${origins.web}/${fullName}/commit/${commit.hash}`,
    comments_url: `${api}/commits/${commit.hash}/comments`,
    commit: {
      url: `${api}/git/commits/${commit.hash}`,
      author: person,
      committer: person,
      message: commit.message.replace(/\n+$/, ''),
      comment_count: 0,
      tree: { sha: commit.hash, url: `${api}/git/trees/${commit.hash}` },
    },
    author: null,
    committer: null,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${api}/commits/${sha}`,
      html_url: `${origins.web}/${fullName}/commit/${sha}`,
    })),
  };
}

export function shortBranchJson(origins: Origins, repo: Repository, name: string, sha: string): ShortBranch {
  return {
    name,
    commit: { sha, url: `${origins.api}/repos/${repo.owner.login}/${repo.name}/commits/${sha}` },
    protected: false,
  };
}

export function branchJson(origins: Origins, repo: Repository, name: string, commit: CommitInfo): BranchWithProtection {
  const api = `${origins.api}/repos/${repo.owner.login}/${repo.name}`;
  const encoded = encodeURIComponent(name);
  return {
    name,
    commit: commitJson(origins, repo, commit),
    _links: { html: `${origins.web}/${repo.owner.login}/${repo.name}/tree/${name}`, self: `${api}/branches/${encoded}` },
    protected: false,
    protection: { enabled: false, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } },
    protection_url: `${api}/branches/${encoded}/protection`,
  };
}

export function tagJson(origins: Origins, repo: Repository, name: string, sha: string): TagJson {
  const api = `${origins.api}/repos/${repo.owner.login}/${repo.name}`;
  return {
    name,
    commit: { sha, url: `${api}/commits/${sha}` },
    zipball_url: `${api}/zipball/refs/tags/${name}`,
    tarball_url: `${api}/tarball/refs/tags/${name}`,
    node_id: nodeId('Ref', Number.parseInt(sha.slice(0, 8), 16)),
  };
}

export function gitRefJson(origins: Origins, repo: Repository, ref: string, sha: string): GitRefJson {
  const api = `${origins.api}/repos/${repo.owner.login}/${repo.name}`;
  return {
    ref,
    node_id: nodeId('Ref', Number.parseInt(sha.slice(0, 8), 16)),
    url: `${api}/git/${ref}`,
    object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` },
  };
}

export interface PullRequestSides {
  repo: Repository;
  author: Account;
  head: { repo: Repository; sha: string };
  base: { sha: string };
}

export function pullRequestSimpleJson(origins: Origins, pull: PullRequest, sides: PullRequestSides): PullRequestSimple {
  const fullName = `${sides.repo.owner.login}/${sides.repo.name}`;
  const api = `${origins.api}/repos/${fullName}`;
  const html = `${origins.web}/${fullName}/pull/${pull.number}`;
  const link = (href: string) => ({ href });
  const side = (repo: Repository, ref: string, sha: string) => pullSide(origins, repo, ref, sha);
  return {
    url: `${api}/pulls/${pull.number}`,
    id: pull.id,
    node_id: nodeId('PullRequest', pull.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${pull.number}`,
    commits_url: `${api}/pulls/${pull.number}/commits`,
    review_comments_url: `${api}/pulls/${pull.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    statuses_url: `${api}/statuses/${sides.head.sha}`,
    number: pull.number,
    state: 'open',
    locked: false,
    title: pull.title,
    user: simpleUser(origins, sides.author),
    body: pull.body,
    labels: [],
    milestone: null,
    created_at: pull.createdAt,
    updated_at: pull.createdAt,
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(sides.head.repo, pull.headRef, sides.head.sha),
    base: side(sides.repo, pull.baseRef, sides.base.sha),
    _links: {
      comments: link(`${api}/issues/${pull.number}/comments`),
      commits: link(`${api}/pulls/${pull.number}/commits`),
      statuses: link(`${api}/statuses/${sides.head.sha}`),
      html: link(html),
      issue: link(`${api}/issues/${pull.number}`),
      review_comments: link(`${api}/pulls/${pull.number}/comments`),
      review_comment: link(`${api}/pulls/comments{/number}`),
      self: link(`${api}/pulls/${pull.number}`),
    },
    author_association: sides.author.login === sides.repo.owner.login ? 'OWNER' : 'CONTRIBUTOR',
    auto_merge: null,
    draft: false,
  };
}

function pullSide(origins: Origins, repo: Repository, ref: string, sha: string) {
  return {
    label: `${repo.owner.login}:${ref}`,
    ref,
    repo: repositoryJson(origins, repo, undefined),
    sha,
    user: simpleUser(origins, repo.owner),
  };
}

export function pullRequestJson(origins: Origins, pull: PullRequest, sides: PullRequestSides): PullRequestJson {
  const simple = pullRequestSimpleJson(origins, pull, sides);
  return {
    ...simple,
    head: pullSide(origins, sides.head.repo, pull.headRef, sides.head.sha),
    base: pullSide(origins, sides.repo, pull.baseRef, sides.base.sha),
    state: 'open',
    user: simpleUser(origins, sides.author),
    requested_teams: [],
    merged: false,
    mergeable: true,
    rebaseable: true,
    mergeable_state: 'clean',
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: sides.head.repo.id !== sides.repo.id,
    commits: 1,
    additions: 1,
    deletions: 0,
    changed_files: 1,
  };
}
