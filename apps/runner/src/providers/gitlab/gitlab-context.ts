// A GitLab context URL, resolved with the developer's own token: a project the token cannot see is
// `404 Project Not Found` (GitLab hides private projects that way), so nothing leaks.
import type { ContextUrl } from '@runner-console/scm-providers';
import { ContextError } from '../../context/context-error.ts';
import { resolveRefSegments } from '../../context/resolve-ref.ts';
import { ProviderApiError, type ProviderCall, type ResolvedContext } from '../provider-adapter.ts';
import { gitlabRequest, projectId, type GitLabBranch, type GitLabCommit, type GitLabMergeRequest, type GitLabProject, type GitLabTag } from './gitlab-api.ts';

async function orUndefinedOn404<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof ProviderApiError && err.status === 404) return undefined;
    throw err;
  }
}

/** `acme/platform/tools` → owner `acme/platform`, repo `tools`. */
function ownerAndRepo(path: readonly string[]): { owner: string; repo: string } {
  return { owner: path.slice(0, -1).join('/'), repo: path[path.length - 1] ?? '' };
}

export async function resolveGitLabContext(input: {
  call: ProviderCall;
  context: ContextUrl;
  accountName: string;
  cloneUrlFor(repositoryPath: readonly string[]): string;
}): Promise<ResolvedContext> {
  const { call, context, accountName } = input;
  const full = context.repositoryPath.join('/');
  const projectApi = `projects/${projectId(context.repositoryPath)}`;
  const found = await orUndefinedOn404(gitlabRequest<GitLabProject>(call, projectApi));
  if (!found) throw new ContextError('repository_not_found', `GitLab says ${full} does not exist, or your account (${accountName}) cannot see it. Check the URL, or ask the project's owner for access.`);
  const project = found.body;
  // GitLab's own spelling of the path (paths are case-insensitive in links).
  const projectPath = project.path_with_namespace.split('/');
  const base = { host: context.host, ...ownerAndRepo(projectPath), cloneUrl: input.cloneUrlFor(projectPath) };
  const shown = project.path_with_namespace;

  const findBranch = async (name: string) => {
    const branch = await orUndefinedOn404(gitlabRequest<GitLabBranch>(call, `${projectApi}/repository/branches/${encodeURIComponent(name)}`));
    return branch ? { name, hash: String(branch.body.commit.id) } : undefined;
  };
  const findTag = async (name: string) => {
    const tag = await orUndefinedOn404(gitlabRequest<GitLabTag>(call, `${projectApi}/repository/tags/${encodeURIComponent(name)}`));
    return tag ? { name, hash: String(tag.body.commit.id) } : undefined;
  };
  const findCommit = async (ref: string) => {
    const commit = await orUndefinedOn404(gitlabRequest<GitLabCommit>(call, `${projectApi}/repository/commits/${encodeURIComponent(ref)}`));
    return commit?.body.id;
  };

  switch (context.kind) {
    case 'repository': {
      const name = project.default_branch;
      const head = name ? await findBranch(name) : undefined;
      if (!head) throw new ContextError('ref_not_found', `${shown} has no commits on its default branch yet. Push a commit first.`);
      return { ...base, kind: 'repository', ref: name, refType: 'branch', commit: head.hash, pullRequest: null };
    }
    case 'branch': {
      const head = await findBranch(context.branch);
      if (!head) throw new ContextError('ref_not_found', `Branch ${context.branch} was not found in ${shown}.`);
      return { ...base, kind: 'branch', ref: context.branch, refType: 'branch', commit: head.hash, pullRequest: null };
    }
    case 'tag': {
      const tag = await findTag(context.tag);
      if (!tag) throw new ContextError('ref_not_found', `Tag ${context.tag} was not found in ${shown}.`);
      return { ...base, kind: 'tag', ref: context.tag, refType: 'tag', commit: tag.hash, pullRequest: null };
    }
    case 'commit': {
      const sha = await findCommit(context.commit);
      if (!sha) throw new ContextError('ref_not_found', `Commit ${context.commit} was not found in ${shown}.`);
      // Viewed on a branch: the commit, checked out on that branch, so there is something to push to.
      if (context.branch !== undefined && (await findBranch(context.branch))) return { ...base, kind: 'commit', ref: context.branch, refType: 'branch', commit: sha, pullRequest: null };
      return { ...base, kind: 'commit', ref: sha, refType: 'commit', commit: sha, pullRequest: null };
    }
    case 'pullRequest': {
      // https://docs.gitlab.com/api/merge_requests/#get-single-mr
      const answer = await orUndefinedOn404(gitlabRequest<GitLabMergeRequest>(call, `${projectApi}/merge_requests/${context.pullRequestId}`));
      if (!answer) throw new ContextError('ref_not_found', `Merge request !${context.pullRequestId} was not found in ${shown}.`);
      const mergeRequest = answer.body;
      const pullRequest = { id: mergeRequest.iid, title: mergeRequest.title, sourceBranch: mergeRequest.source_branch, targetBranch: mergeRequest.target_branch };
      let sourcePath = projectPath;
      if (mergeRequest.source_project_id !== project.id) {
        // A merge request from a fork: the environment clones the fork's branch, where a push goes.
        const source = await orUndefinedOn404(gitlabRequest<GitLabProject>(call, `projects/${encodeURIComponent(String(mergeRequest.source_project_id))}`));
        if (!source) throw new ContextError('ref_not_found', `The branch of merge request !${context.pullRequestId} is in a fork that was deleted or that you cannot see, so there is nothing to clone.`);
        sourcePath = source.body.path_with_namespace.split('/');
      }
      const sha = mergeRequest.sha ?? (await findBranchIn(call, sourcePath, mergeRequest.source_branch));
      if (!sha) throw new ContextError('ref_not_found', `The branch ${mergeRequest.source_branch} of merge request !${context.pullRequestId} no longer exists.`);
      return { ...base, ...ownerAndRepo(sourcePath), cloneUrl: input.cloneUrlFor(sourcePath), kind: 'pullRequest', ref: mergeRequest.source_branch, refType: 'branch', commit: String(sha), pullRequest };
    }
    case 'ref': {
      // `/-/tree/feature/login/src`: the longest leading part that names a branch, then a tag, then a commit.
      const resolved = await resolveRefSegments(context.refSegments, { findBranch, findTag, findCommit });
      if (!resolved) throw new ContextError('ref_not_found', `No branch or tag ${context.refSegments.join('/')} was found in ${shown}.`);
      return { ...base, kind: resolved.refType === 'commit' ? 'commit' : resolved.refType, ref: resolved.ref, refType: resolved.refType, commit: resolved.commit, pullRequest: null };
    }
  }
}

async function findBranchIn(call: ProviderCall, path: readonly string[], name: string): Promise<string | undefined> {
  const branch = await orUndefinedOn404(gitlabRequest<GitLabBranch>(call, `projects/${projectId(path)}/repository/branches/${encodeURIComponent(name)}`));
  return branch ? String(branch.body.commit.id) : undefined;
}
