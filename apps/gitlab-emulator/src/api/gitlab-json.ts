// GitLab's REST bodies (https://docs.gitlab.com/api/), as much of each as the product and
// @gitbeaker/rest read. Field names and shapes follow GitLab's API documentation pages cited per body.
import type { CommitInfo } from '@runner-console/emulator-kit';
import { pathWithNamespace, type MergeRequest, type Namespace, type Project, type User } from '../state.ts';

export interface Origins {
  web: string;
  api: string;
}

/** https://docs.gitlab.com/api/users/#retrieve-the-current-user (as the user: e-mail and commit_email included). */
export function currentUserJson(origins: Origins, user: User): Record<string, unknown> {
  return {
    ...basicUserJson(origins, user),
    created_at: user.createdAt,
    bio: '',
    public_email: null,
    email: user.email,
    commit_email: user.email,
    can_create_group: true,
    can_create_project: true,
    two_factor_enabled: false,
    external: false,
    private_profile: false,
    is_admin: false,
  };
}

export function basicUserJson(origins: Origins, user: User): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    state: 'active',
    locked: false,
    avatar_url: null,
    web_url: `${origins.web}/${user.username}`,
  };
}

function namespaceJson(origins: Origins, namespace: Namespace): Record<string, unknown> {
  return {
    id: namespace.id,
    name: namespace.name,
    path: namespace.path,
    kind: namespace.kind,
    full_path: namespace.fullPath,
    parent_id: namespace.parentId,
    avatar_url: null,
    web_url: `${origins.web}/${namespace.kind === 'group' ? 'groups/' : ''}${namespace.fullPath}`,
  };
}

/** https://docs.gitlab.com/api/projects/#retrieve-a-project */
export function projectJson(origins: Origins, project: Project, accessLevel: number, forkedFrom: Project | undefined): Record<string, unknown> {
  const full = pathWithNamespace(project);
  const namespaceNames = full.split('/').slice(0, -1);
  return {
    id: project.id,
    description: project.description,
    name: project.name,
    name_with_namespace: [...namespaceNames.map((part) => part[0]!.toUpperCase() + part.slice(1)), project.name].join(' / '),
    path: project.path,
    path_with_namespace: full,
    created_at: project.createdAt,
    default_branch: project.defaultBranch,
    tag_list: [],
    topics: [],
    ssh_url_to_repo: `git@${new URL(origins.web).hostname}:${full}.git`,
    http_url_to_repo: `${origins.web}/${full}.git`,
    web_url: `${origins.web}/${full}`,
    readme_url: `${origins.web}/${full}/-/blob/${project.defaultBranch}/README.md`,
    visibility: project.visibility,
    namespace: namespaceJson(origins, project.namespace),
    empty_repo: false,
    archived: false,
    ...(forkedFrom ? { forked_from_project: { id: forkedFrom.id, name: forkedFrom.name, path: forkedFrom.path, path_with_namespace: pathWithNamespace(forkedFrom), http_url_to_repo: `${origins.web}/${pathWithNamespace(forkedFrom)}.git`, web_url: `${origins.web}/${pathWithNamespace(forkedFrom)}` } } : {}),
    permissions: {
      project_access: accessLevel > 0 ? { access_level: accessLevel, notification_level: 3 } : null,
      group_access: null,
    },
  };
}

/** https://docs.gitlab.com/api/commits/#get-a-single-commit */
export function commitJson(origins: Origins, project: Project, commit: CommitInfo): Record<string, unknown> {
  const [title = ''] = commit.message.split('\n');
  // The seed commits with one identity and date for author and committer.
  const date = new Date(commit.date).toISOString().replace('Z', '+00:00');
  return {
    id: commit.hash,
    short_id: commit.hash.slice(0, 8),
    created_at: date,
    parent_ids: commit.parents,
    title,
    message: commit.message,
    author_name: commit.authorName,
    author_email: commit.authorEmail,
    authored_date: date,
    committer_name: commit.authorName,
    committer_email: commit.authorEmail,
    committed_date: date,
    trailers: {},
    web_url: `${origins.web}/${pathWithNamespace(project)}/-/commit/${commit.hash}`,
  };
}

/** https://docs.gitlab.com/api/branches/#get-a-single-repository-branch */
export function branchJson(origins: Origins, project: Project, name: string, commit: CommitInfo, canPush: boolean): Record<string, unknown> {
  return {
    name,
    merged: false,
    protected: name === project.defaultBranch,
    default: name === project.defaultBranch,
    developers_can_push: false,
    developers_can_merge: false,
    can_push: canPush,
    web_url: `${origins.web}/${pathWithNamespace(project)}/-/tree/${name}`,
    commit: commitJson(origins, project, commit),
  };
}

/** https://docs.gitlab.com/api/tags/#get-a-single-repository-tag */
export function tagJson(origins: Origins, project: Project, name: string, commit: CommitInfo): Record<string, unknown> {
  return { name, message: '', target: commit.hash, commit: commitJson(origins, project, commit), release: null, protected: false, created_at: null };
}

/** https://docs.gitlab.com/api/merge_requests/#get-single-mr */
export function mergeRequestJson(origins: Origins, target: Project, mergeRequest: MergeRequest, author: User, sha: string | null): Record<string, unknown> {
  return {
    id: mergeRequest.id,
    iid: mergeRequest.iid,
    project_id: mergeRequest.projectId,
    title: mergeRequest.title,
    description: mergeRequest.description,
    state: 'opened',
    created_at: mergeRequest.createdAt,
    updated_at: mergeRequest.createdAt,
    merged_by: null,
    merged_at: null,
    closed_by: null,
    closed_at: null,
    target_branch: mergeRequest.targetBranch,
    source_branch: mergeRequest.sourceBranch,
    author: basicUserJson(origins, author),
    assignees: [],
    reviewers: [],
    source_project_id: mergeRequest.sourceProjectId,
    target_project_id: mergeRequest.projectId,
    labels: [],
    draft: false,
    work_in_progress: false,
    merge_when_pipeline_succeeds: false,
    merge_status: 'can_be_merged',
    detailed_merge_status: 'mergeable',
    sha,
    merge_commit_sha: null,
    squash_commit_sha: null,
    references: { short: `!${mergeRequest.iid}`, relative: `!${mergeRequest.iid}`, full: `${pathWithNamespace(target)}!${mergeRequest.iid}` },
    web_url: `${origins.web}/${pathWithNamespace(target)}/-/merge_requests/${mergeRequest.iid}`,
  };
}
