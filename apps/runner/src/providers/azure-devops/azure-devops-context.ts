// An Azure DevOps context URL, resolved with the developer's own token: a repository the token
// cannot see answers 404 (TF401019), so nothing leaks; a PAT without the Code scope answers 401
// (TF400813), which is named as such.
import type { ContextUrl } from '@runner-console/scm-providers';
import { ContextError } from '../../context/context-error.ts';
import { resolveRefSegments } from '../../context/resolve-ref.ts';
import { ProviderApiError, type ProviderCall, type ResolvedContext } from '../provider-adapter.ts';
import { azureList, azureRequest, pathOf, type GitCommit, type GitPullRequest, type GitRef, type GitRepository } from './azure-devops-api.ts';

const HEX40 = /^[0-9a-f]{40}$/i;

async function orUndefinedOn404<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof ProviderApiError && err.status === 404) return undefined;
    throw err;
  }
}

export async function resolveAzureDevopsContext(input: {
  call: ProviderCall;
  context: ContextUrl;
  accountName: string;
  tokenKind: 'oauth' | 'api_token';
  cloneUrlFor(repositoryPath: readonly string[]): string;
}): Promise<ResolvedContext> {
  const { call, context, accountName } = input;
  const path = context.repositoryPath;
  const [prefix, project, repo] = [path.slice(0, -2), path[path.length - 2]!, path[path.length - 1]!];
  const full = path.join('/');
  const repoApi = `${call.endpoints.apiUrl}/${pathOf([...prefix, project])}/_apis/git/repositories/${encodeURIComponent(repo)}`;
  let found: GitRepository | undefined;
  try {
    found = (await orUndefinedOn404(azureRequest<GitRepository>(call, repoApi)))?.body;
  } catch (err) {
    if (err instanceof ProviderApiError && err.status === 401 && input.tokenKind === 'api_token') {
      throw new ContextError('repository_not_found', `Your personal access token cannot read ${full}: it needs the Code (Read & write) scope for organization ${prefix.join('/')}. Create a new token with it, and connect with that.`);
    }
    throw err;
  }
  if (!found) throw new ContextError('repository_not_found', `Azure DevOps says ${full} does not exist, or your account (${accountName}) cannot see it. Check the URL, or ask the project's administrators for access.`);
  const base = { host: context.host, owner: context.owner, repo: context.repo, cloneUrl: input.cloneUrlFor(path) };

  const refs = async (filter: string) => azureList<GitRef>(call, `${repoApi}/refs?filter=${encodeURIComponent(filter)}&peelTags=true`);
  const branchHead = async (name: string) => (await refs(`heads/${name}`)).find((ref) => ref.name === `refs/heads/${name}`)?.objectId;
  const tagCommit = async (name: string) => {
    const ref = (await refs(`tags/${name}`)).find((candidate) => candidate.name === `refs/tags/${name}`);
    // An annotated tag points at a tag object: peelTags gives its commit.
    return ref ? (ref.peeledObjectId ?? ref.objectId) : undefined;
  };
  const findCommit = async (sha: string) => {
    if (!HEX40.test(sha)) return undefined;
    return (await orUndefinedOn404(azureRequest<GitCommit>(call, `${repoApi}/commits/${sha}`)))?.body.commitId;
  };
  const findBranch = async (name: string) => {
    const hash = await branchHead(name);
    return hash === undefined ? undefined : { name, hash };
  };
  const findTag = async (name: string) => {
    const hash = await tagCommit(name);
    return hash === undefined ? undefined : { name, hash };
  };

  switch (context.kind) {
    case 'repository': {
      const name = (found.defaultBranch ?? '').replace(/^refs\/heads\//, '');
      const sha = name ? await branchHead(name) : undefined;
      if (!sha) throw new ContextError('ref_not_found', `${full} has no commits on its default branch yet. Push a commit first.`);
      return { ...base, kind: 'repository', ref: name, refType: 'branch', commit: sha, pullRequest: null };
    }
    case 'branch': {
      const sha = await branchHead(context.branch);
      if (!sha) throw new ContextError('ref_not_found', `Branch ${context.branch} was not found in ${full}.`);
      return { ...base, kind: 'branch', ref: context.branch, refType: 'branch', commit: sha, pullRequest: null };
    }
    case 'tag': {
      const sha = await tagCommit(context.tag);
      if (!sha) throw new ContextError('ref_not_found', `Tag ${context.tag} was not found in ${full}.`);
      return { ...base, kind: 'tag', ref: context.tag, refType: 'tag', commit: sha, pullRequest: null };
    }
    case 'commit': {
      const sha = await findCommit(context.commit);
      if (!sha) throw new ContextError('ref_not_found', `Commit ${context.commit} was not found in ${full}.`);
      if (context.branch !== undefined && (await branchHead(context.branch))) return { ...base, kind: 'commit', ref: context.branch, refType: 'branch', commit: sha, pullRequest: null };
      return { ...base, kind: 'commit', ref: sha, refType: 'commit', commit: sha, pullRequest: null };
    }
    case 'pullRequest': {
      const pull = (await orUndefinedOn404(azureRequest<GitPullRequest>(call, `${repoApi}/pullrequests/${context.pullRequestId}`)))?.body;
      if (!pull) throw new ContextError('ref_not_found', `Pull request ${context.pullRequestId} was not found in ${full}.`);
      const sourceBranch = (pull.sourceRefName ?? '').replace(/^refs\/heads\//, '');
      const targetBranch = (pull.targetRefName ?? '').replace(/^refs\/heads\//, '');
      const pullRequest = { id: pull.pullRequestId ?? context.pullRequestId, title: pull.title ?? '', sourceBranch, targetBranch };
      // A pull request from a fork: the environment clones the fork's branch, where a push goes.
      const fork = pull.forkSource?.repository;
      const forkPath = fork?.name && fork.project?.name ? [...prefix, fork.project.name, fork.name] : null;
      const commit = pull.lastMergeSourceCommit?.commitId ?? (forkPath ? undefined : await branchHead(sourceBranch));
      if (!commit) throw new ContextError('ref_not_found', `The branch of pull request ${context.pullRequestId} (${sourceBranch}) no longer exists, so there is nothing to clone.`);
      return {
        ...base,
        ...(forkPath ? { owner: forkPath.slice(0, -1).join('/'), repo: forkPath[forkPath.length - 1]!, cloneUrl: input.cloneUrlFor(forkPath) } : {}),
        kind: 'pullRequest',
        ref: sourceBranch,
        refType: 'branch',
        commit,
        pullRequest,
      };
    }
    case 'ref': {
      const resolved = await resolveRefSegments(context.refSegments, { findBranch, findTag, findCommit });
      if (!resolved) throw new ContextError('ref_not_found', `No branch or tag ${context.refSegments.join('/')} was found in ${full}.`);
      return { ...base, kind: resolved.refType === 'commit' ? 'commit' : resolved.refType, ref: resolved.ref, refType: resolved.refType, commit: resolved.commit, pullRequest: null };
    }
  }
}
