// A GitHub context URL, resolved with the developer's own token: a repository the token cannot
// see is a 404 (GitHub hides private repositories that way), so nothing leaks.
import type { ContextUrl } from '@runner-console/scm-providers';
import { ContextError } from '../../context/context-error.ts';
import { resolveRefSegments } from '../../context/resolve-ref.ts';
import { ProviderApiError, type ProviderCall, type ResolvedContext } from '../provider-adapter.ts';
import { githubRequest, pathOf, refPath, type GitHubCommit, type GitHubGitRef, type GitHubTag, type GitHubPullRequest, type GitHubRepository } from './github-api.ts';

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
  /** What reaches repositories: a GitHub App user token (its installations), a fine-grained token (its repository list), or anything else. */
  tokenReach: 'app' | 'fine_grained' | 'account';
  cloneUrlFor(repositoryPath: readonly string[]): string;
}): Promise<ResolvedContext> {
  const { call, context, accountName } = input;
  const [owner, repo] = [context.owner, context.repo];
  const repoApi = `repos/${pathOf([owner, repo])}`;
  const full = `${owner}/${repo}`;
  const found = await orUndefinedOn404(githubRequest<GitHubRepository>(call, repoApi));
  if (!found) {
    const why =
      input.tokenReach === 'app'
        ? `GitHub says ${full} does not exist, or the GitHub App's installation does not cover it. Ask an owner of ${owner} to add ${full} to the app's installation (or check the URL), then try again.`
        : input.tokenReach === 'fine_grained'
          ? `GitHub says ${full} does not exist, or your fine-grained token does not include it. Edit the token on GitHub to add ${full} under Repository access (or check the URL), then try again.`
          : `GitHub says ${full} does not exist, or your account (${accountName}) cannot see it. Check the URL, or ask the repository's owner for access.`;
    throw new ContextError('repository_not_found', why);
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
  const findBranch = async (name: string) => {
    const sha = await branchHead(name);
    return sha === undefined ? undefined : { name, hash: sha };
  };
  const findTag = async (name: string) => {
    const sha = await tagCommit(name);
    return sha === undefined ? undefined : { name, hash: sha };
  };
  const findCommit = async (ref: string) => {
    const commit = await orUndefinedOn404(githubRequest<GitHubCommit>(call, `${repoApi}/commits/${encodeURIComponent(ref)}`));
    return commit?.body.sha;
  };

  switch (context.kind) {
    case 'repository': {
      const name = repository.default_branch;
      const sha = await branchHead(name);
      if (!sha) throw new ContextError('ref_not_found', `${full} has no commits on its default branch (${name}) yet. Push a commit first.`);
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
      // Viewed on a branch: the commit, checked out on that branch, so there is something to push to.
      if (context.branch !== undefined && (await branchHead(context.branch))) return { ...base, kind: 'commit', ref: context.branch, refType: 'branch', commit: sha, pullRequest: null };
      return { ...base, kind: 'commit', ref: sha, refType: 'commit', commit: sha, pullRequest: null };
    }
    case 'pullRequest': {
      const pull = await orUndefinedOn404(githubRequest<GitHubPullRequest>(call, `${repoApi}/pulls/${context.pullRequestId}`));
      if (!pull) throw new ContextError('ref_not_found', `Pull request #${context.pullRequestId} was not found in ${full}.`);
      const { head, base: target } = pull.body;
      const headRepo = head.repo;
      if (!headRepo) {
        throw new ContextError('ref_not_found', `The branch of pull request #${context.pullRequestId} is in a repository that was deleted, so there is nothing to clone.`);
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
      // `/tree/feature/login/src`: the longest leading part that names a branch, then a tag, then a commit.
      const found = await resolveRefSegments(context.refSegments, { findBranch, findTag, findCommit });
      if (!found) throw new ContextError('ref_not_found', `No branch or tag ${context.refSegments.join('/')} was found in ${full}.`);
      return { ...base, kind: found.refType === 'commit' ? 'commit' : found.refType, ref: found.ref, refType: found.refType, commit: found.commit, pullRequest: null };
    }
  }
}
