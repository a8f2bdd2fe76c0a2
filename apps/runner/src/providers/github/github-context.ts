// A GitHub context URL, resolved with the developer's own token: a repository the token cannot
// see is a 404 (GitHub hides private repositories that way), so nothing leaks.
import type { ContextUrl } from '@runner-console/scm-providers';
import { ProviderApiError, type ProviderCall, type ResolvedContext } from '../provider-adapter.ts';
import { githubRequest, pathOf, refPath, type GitHubCommit, type GitHubGitRef, type GitHubTag, type GitHubPullRequest, type GitHubRepository } from './github-api.ts';

/** The longest slashed ref the runner tries to read out of `/tree/{ref}/{path}` (one call each). */
const MAX_REF_SEGMENTS = 12;

/** A refusal the flows pass on to the developer (the context flow maps `code` to its own errors). */
export class GitHubContextError extends Error {
  constructor(
    readonly code: 'repository_not_found' | 'ref_not_found',
    message: string,
  ) {
    super(message);
  }
}

/** 404, and the 422 "No commit found for SHA" that /commits/{ref} answers for an unknown commit. */
async function orUndefinedOn404<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof ProviderApiError && (err.status === 404 || err.status === 422)) return undefined;
    throw err;
  }
}

export async function resolveGitHubContext(input: {
  call: ProviderCall;
  context: ContextUrl;
  accountName: string;
  /** True for a GitHub App user token (ghu_): its reach is the app's installations. */
  appToken: boolean;
  cloneUrlFor(repositoryPath: readonly string[]): string;
}): Promise<ResolvedContext> {
  const { call, context, accountName } = input;
  const [owner, repo] = [context.owner, context.repo];
  const repoApi = `repos/${pathOf([owner, repo])}`;
  const full = `${owner}/${repo}`;
  const found = await orUndefinedOn404(githubRequest<GitHubRepository>(call, repoApi));
  if (!found) {
    const why = input.appToken
      ? `GitHub says ${full} does not exist, or the GitHub App's installation does not cover it. Ask an owner of ${owner} to add ${full} to the app's installation (or check the URL), then try again.`
      : `GitHub says ${full} does not exist, or your account (${accountName}) cannot see it. Check the URL, or ask the repository's owner for access.`;
    throw new GitHubContextError('repository_not_found', why);
  }
  const repository = found.body;
  const base = { host: context.host, owner, repo, cloneUrl: input.cloneUrlFor([owner, repo]) };

  const branchHead = async (name: string): Promise<string | undefined> => {
    const ref = await orUndefinedOn404(githubRequest<GitHubGitRef>(call, `${repoApi}/git/ref/heads/${refPath(name)}`));
    return ref?.body.object.sha;
  };
  const tagCommit = async (name: string): Promise<string | undefined> => {
    const ref = await orUndefinedOn404(githubRequest<GitHubGitRef>(call, `${repoApi}/git/ref/tags/${refPath(name)}`));
    if (!ref || ref.body.object.type !== 'tag') return ref?.body.object.sha;
    // An annotated tag points at a tag object: its object is the commit.
    const tag = await githubRequest<GitHubTag>(call, `${repoApi}/git/tags/${encodeURIComponent(ref.body.object.sha)}`);
    return tag.body.object.sha;
  };
  const onBranch = (name: string, sha: string): ResolvedContext => ({ ...base, kind: 'branch', ref: name, refType: 'branch', commit: sha, pullRequest: null });
  const onTag = (sha: string): ResolvedContext => ({ ...base, kind: 'commit', ref: sha, refType: 'commit', commit: sha, pullRequest: null });

  switch (context.kind) {
    case 'repository': {
      const name = repository.default_branch;
      const sha = await branchHead(name);
      if (!sha) throw new GitHubContextError('ref_not_found', `${full} has no commits on its default branch (${name}) yet. Push a commit first.`);
      return { ...base, kind: 'repository', ref: name, refType: 'branch', commit: sha, pullRequest: null };
    }
    case 'branch': {
      const sha = await branchHead(context.branch);
      if (!sha) throw new GitHubContextError('ref_not_found', `Branch ${context.branch} was not found in ${full}.`);
      return onBranch(context.branch, sha);
    }
    case 'tag': {
      const sha = await tagCommit(context.tag);
      if (!sha) throw new GitHubContextError('ref_not_found', `Tag ${context.tag} was not found in ${full}.`);
      return onTag(sha);
    }
    case 'commit': {
      const commit = await orUndefinedOn404(githubRequest<GitHubCommit>(call, `${repoApi}/commits/${encodeURIComponent(context.commit)}`));
      if (!commit) throw new GitHubContextError('ref_not_found', `Commit ${context.commit} was not found in ${full}.`);
      // Viewed on a branch whose head it is: stay on the branch, so the environment can push.
      if (context.branch !== undefined && (await branchHead(context.branch)) === commit.body.sha) return onBranch(context.branch, commit.body.sha);
      return { ...base, kind: 'commit', ref: commit.body.sha, refType: 'commit', commit: commit.body.sha, pullRequest: null };
    }
    case 'pullRequest': {
      const pull = await orUndefinedOn404(githubRequest<GitHubPullRequest>(call, `${repoApi}/pulls/${context.pullRequestId}`));
      if (!pull) throw new GitHubContextError('ref_not_found', `Pull request #${context.pullRequestId} was not found in ${full}.`);
      const { head, base: target } = pull.body;
      const headRepo = head.repo;
      if (!headRepo) {
        throw new GitHubContextError('ref_not_found', `The branch of pull request #${context.pullRequestId} is in a repository that was deleted, so there is nothing to clone.`);
      }
      // A pull request from a fork: the environment clones the fork's branch, where a push goes.
      const [headOwner, headName] = [headRepo.owner.login, headRepo.name];
      const pullRequest = { id: pull.body.number, title: pull.body.title, sourceBranch: head.ref, targetBranch: target.ref };
      return {
        ...base,
        owner: headOwner,
        repo: headName,
        cloneUrl: input.cloneUrlFor([headOwner, headName]),
        kind: 'pullRequest',
        ref: head.ref,
        refType: 'branch',
        commit: head.sha,
        pullRequest,
      };
    }
    case 'ref': {
      // `/tree/feature/login/src`: the longest leading part that names a branch, then a tag.
      const segments = context.refSegments.slice(0, MAX_REF_SEGMENTS);
      for (let n = segments.length; n >= 1; n--) {
        const name = segments.slice(0, n).join('/');
        const sha = await branchHead(name);
        if (sha) return onBranch(name, sha);
      }
      for (let n = segments.length; n >= 1; n--) {
        const sha = await tagCommit(segments.slice(0, n).join('/'));
        if (sha) return onTag(sha);
      }
      throw new GitHubContextError('ref_not_found', `No branch or tag ${context.refSegments.join('/')} was found in ${full}.`);
    }
  }
}
