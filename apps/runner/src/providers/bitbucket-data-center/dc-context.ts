// A Bitbucket Data Center context URL, resolved with the developer's own token: a repository the
// user cannot see is a 404, so nothing leaks.
import type { ContextUrl } from '@runner-console/scm-providers';
import { ContextError } from '../../context/context-error.ts';
import { resolveRefSegments } from '../../context/resolve-ref.ts';
import { ProviderApiError, type ProviderCall, type ResolvedContext } from '../provider-adapter.ts';
import { dcCollect, dcRequest, repositoryApiPath, segment, type DcBranch, type DcCommit, type DcMinimalRef, type DcPullRequest, type DcRepository, type DcTag } from './dc-api.ts';

async function orUndefinedOn404<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof ProviderApiError && err.status === 404) return undefined;
    throw err;
  }
}

/** `~BOB/widgets` for a personal repository, `ACME/widgets` for a project's. */
function nameOf(repositoryPath: readonly string[]): string {
  return repositoryPath.join('/');
}

export async function resolveDataCenterContext(input: { call: ProviderCall; context: ContextUrl; accountName: string; cloneUrlFor(repositoryPath: readonly string[]): string }): Promise<ResolvedContext> {
  const { call, context, accountName } = input;
  const path = context.repositoryPath;
  const full = nameOf(path);
  const repoApi = repositoryApiPath(path);
  const found = await orUndefinedOn404(dcRequest<DcRepository>(call, repoApi));
  if (!found) throw new ContextError('repository_not_found', `Bitbucket Data Center says ${full} does not exist, or your account (${accountName}) cannot see it. Check the URL, or ask the repository's admin for access.`);
  const base = { host: context.host, owner: context.owner, repo: context.repo, cloneUrl: input.cloneUrlFor(path) };

  // `filterText` narrows the list to names containing the text; the exact name is picked from it.
  const branchIn = async (api: string, name: string) => {
    const branches = await dcCollect<DcBranch>(call, `${api}/branches`, { filterText: name }, (branch) => branch.displayId === name);
    return branches.find((branch) => branch.displayId === name)?.latestCommit;
  };
  const branchHead = (name: string) => branchIn(repoApi, name);
  const tagCommit = async (name: string) => {
    const tags = await dcCollect<DcTag>(call, `${repoApi}/tags`, { filterText: name }, (tag) => tag.displayId === name);
    return tags.find((tag) => tag.displayId === name)?.latestCommit;
  };
  const findCommit = async (ref: string) => (await orUndefinedOn404(dcRequest<DcCommit>(call, `${repoApi}/commits/${segment(ref)}`)))?.body.id;
  const named = async (name: string, lookup: (n: string) => Promise<string | undefined>) => {
    const hash = await lookup(name);
    return hash === undefined ? undefined : { name, hash };
  };

  switch (context.kind) {
    case 'repository': {
      const ref = await orUndefinedOn404(dcRequest<DcMinimalRef>(call, `${repoApi}/default-branch`));
      const name = ref?.body.displayId;
      const sha = name === undefined ? undefined : await branchHead(name);
      if (name === undefined || sha === undefined) throw new ContextError('ref_not_found', `${full} has no commits on a default branch yet. Push a commit first.`);
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
      const pull = await orUndefinedOn404(dcRequest<DcPullRequest>(call, `${repoApi}/pull-requests/${context.pullRequestId}`));
      if (!pull) throw new ContextError('ref_not_found', `Pull request ${context.pullRequestId} was not found in ${full}.`);
      const { fromRef, toRef, title } = pull.body;
      const fromKey = fromRef?.repository?.project?.key;
      const fromSlug = fromRef?.repository?.slug;
      const branch = fromRef?.displayId;
      if (!fromKey || !fromSlug || !branch) throw new ContextError('ref_not_found', `The branch of pull request ${context.pullRequestId} is in a repository that was deleted, so there is nothing to clone.`);
      // A pull request from a fork: the environment clones the fork's branch, where a push goes.
      const fromPath = [fromKey, fromSlug];
      const sha = fromRef.latestCommit ?? (await branchIn(repositoryApiPath(fromPath), branch));
      if (!sha) throw new ContextError('ref_not_found', `Branch ${branch} of pull request ${context.pullRequestId} was not found.`);
      return {
        ...base,
        owner: fromKey,
        repo: fromSlug,
        cloneUrl: input.cloneUrlFor(fromPath),
        kind: 'pullRequest',
        ref: branch,
        refType: 'branch',
        commit: sha,
        pullRequest: { id: context.pullRequestId, title: title ?? `Pull request ${context.pullRequestId}`, sourceBranch: branch, targetBranch: toRef?.displayId ?? '' },
      };
    }
    case 'ref': {
      const resolved = await resolveRefSegments(context.refSegments, {
        findBranch: (name) => named(name, branchHead),
        findTag: (name) => named(name, tagCommit),
        findCommit,
      });
      if (!resolved) throw new ContextError('ref_not_found', `No branch or tag ${context.refSegments.join('/')} was found in ${full}.`);
      return { ...base, kind: resolved.refType === 'commit' ? 'commit' : resolved.refType, ref: resolved.ref, refType: resolved.refType, commit: resolved.commit, pullRequest: null };
    }
  }
}
