import type { BranchHead, CommitInfo, TagRef } from '@runner-console/emulator-kit';
import type { DcBranch, DcCommit, DcPage, DcProject, DcPullRequest, DcRepository, DcTag, DcUser } from '@runner-console/scm-providers/bitbucket-data-center-schema';
import type { DataCenterContext } from './context.ts';
import type { Project, PullRequest, Repository, User } from './state.ts';

// Data Center's JSON, typed by its OpenAPI description through the strict wrapper: a field the
// description lacks fails the typecheck. Shapes as the REST API 1.0 answers them:
// https://developer.atlassian.com/server/bitbucket/rest/v906/api-group-repository/

export function userJson(context: DataCenterContext, user: User): DcUser {
  return {
    name: user.name,
    emailAddress: user.emailAddress,
    active: true,
    displayName: user.displayName,
    id: user.id,
    slug: user.slug,
    type: 'NORMAL',
    links: { self: [{ href: `${context.origin}/users/${user.slug}` }] },
  };
}

export function projectJson(context: DataCenterContext, project: Project): DcProject {
  const personal = project.type === 'PERSONAL';
  return {
    key: project.key,
    id: project.id,
    name: project.name,
    public: false,
    type: project.type,
    links: { self: [{ href: personal ? `${context.origin}/users/${project.key.slice(1).toLowerCase()}` : `${context.origin}/projects/${project.key}` }] },
  };
}

/** Where a repository's pages live: /projects/{KEY}/repos/{slug}, or /users/{user}/repos/{slug} for a personal one. */
export function repositoryWebPath(repo: Pick<Repository, 'projectKey' | 'slug'>): string {
  return repo.projectKey.startsWith('~') ? `/users/${repo.projectKey.slice(1).toLowerCase()}/repos/${repo.slug}` : `/projects/${repo.projectKey}/repos/${repo.slug}`;
}

export function cloneHref(context: DataCenterContext, repo: Pick<Repository, 'projectKey' | 'slug'>): string {
  return `${context.origin}/scm/${repo.projectKey.toLowerCase()}/${repo.slug}.git`;
}

export function repositoryJson(context: DataCenterContext, repo: Repository): DcRepository {
  const project = context.state.findProject(repo.projectKey);
  const origin = repo.originId === null ? undefined : context.state.repositories.get(repo.originId);
  return {
    slug: repo.slug,
    id: repo.id,
    name: repo.name,
    description: repo.description,
    hierarchyId: `h${repo.originId ?? repo.id}`,
    scmId: 'git',
    state: 'AVAILABLE',
    statusMessage: 'Available',
    forkable: true,
    ...(origin ? { origin: repositoryJson(context, origin) } : {}),
    project: project ? { ...projectJson(context, project), key: project.key } : { key: repo.projectKey },
    public: false,
    archived: false,
    links: {
      clone: [{ href: cloneHref(context, repo), name: 'http' }],
      self: [{ href: `${context.origin}${repositoryWebPath(repo)}/browse` }],
    },
  };
}

export function branchJson(branch: BranchHead, isDefault: boolean): DcBranch {
  return { id: `refs/heads/${branch.name}`, displayId: branch.name, type: 'BRANCH', latestCommit: branch.commit.hash, latestChangeset: branch.commit.hash, default: isDefault };
}

export function tagJson(tag: TagRef): DcTag {
  return { id: `refs/tags/${tag.name}`, displayId: tag.name, type: 'TAG', latestCommit: tag.commitHash, latestChangeset: tag.commitHash, hash: tag.commitHash };
}

export function commitJson(commit: CommitInfo): DcCommit {
  const person = { name: commit.authorName, emailAddress: commit.authorEmail };
  const time = Date.parse(commit.date);
  return {
    id: commit.hash,
    displayId: commit.hash.slice(0, 11),
    author: person,
    authorTimestamp: time,
    committer: person,
    committerTimestamp: time,
    message: commit.message.trimEnd(),
    parents: commit.parents.map((parent) => ({ id: parent, displayId: parent.slice(0, 11) })),
  };
}

export function pullRequestJson(context: DataCenterContext, pull: PullRequest, heads: { from: string | undefined; to: string | undefined }): DcPullRequest {
  const repo = context.state.repositories.get(pull.repositoryId)!;
  const fromRepo = context.state.repositories.get(pull.fromRepositoryId)!;
  const author = context.state.users.get(pull.authorId)!;
  return {
    id: pull.id,
    version: 0,
    title: pull.title,
    description: pull.description,
    state: 'OPEN',
    open: true,
    closed: false,
    draft: false,
    createdDate: pull.createdDate,
    updatedDate: pull.createdDate,
    fromRef: { id: `refs/heads/${pull.fromBranch}`, displayId: pull.fromBranch, ...(heads.from ? { latestCommit: heads.from } : {}), repository: repositoryJson(context, fromRepo) },
    toRef: { id: `refs/heads/${pull.toBranch}`, displayId: pull.toBranch, ...(heads.to ? { latestCommit: heads.to } : {}), repository: repositoryJson(context, repo) },
    locked: false,
    // Data Center sends `author` besides these, but Atlassian's description lacks it: the author
    // is listed as the participant with role AUTHOR.
    reviewers: [],
    participants: [{ user: userJson(context, author), role: 'AUTHOR', approved: false, status: 'UNAPPROVED' }],
    links: { self: [{ href: `${context.origin}${repositoryWebPath(repo)}/pull-requests/${pull.id}` }] },
  };
}

/**
 * One page of `items` by `start` and `limit` (default 25, at most 1000), with `isLastPage` and
 * `nextPageStart` (https://developer.atlassian.com/server/bitbucket/rest/v906/intro/#paged-apis).
 */
export function page<Item>(items: readonly Item[], query: Record<string, unknown>): DcPage<Item> {
  const number = (value: unknown, fallback: number) => (typeof value === 'string' && /^\d{1,7}$/.test(value) ? Number(value) : fallback);
  const start = number(query.start, 0);
  const limit = Math.min(Math.max(number(query.limit, 25), 1), 1000);
  const values = items.slice(start, start + limit);
  const isLastPage = start + limit >= items.length;
  return { size: values.length, limit, isLastPage, start, ...(isLastPage ? {} : { nextPageStart: start + limit }), values };
}
