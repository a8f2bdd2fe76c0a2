import type { Request, Response, Router } from 'express';
import type { EmulatorContext } from '../emulator-context.ts';
import { repositoryGitDir } from '../git/repository-paths.ts';
import type { Repository } from '../store/repository-store.ts';
import { sendApiError } from './api-error.ts';
import type { ApiLinks } from './api-links.ts';
import { principalOf, requireScope, userOf } from './api-principal.ts';
import { filterAndSortBranches } from './branch-query.ts';
import { branchJson, commitJson, type FindUserByEmail } from './commit-json.ts';
import { paginate, publicRequestUrl, readPaging } from './paginate.ts';
import { pullRequestJson } from './pull-request-json.ts';
import { repositoryJson } from './repository-json.ts';

const REPO = '/repositories/:workspace/:repo_slug';

/**
 * The repository endpoints the product uses.
 * https://developer.atlassian.com/cloud/bitbucket/rest/api-group-repositories/
 * https://developer.atlassian.com/cloud/bitbucket/rest/api-group-refs/
 * https://developer.atlassian.com/cloud/bitbucket/rest/api-group-pullrequests/
 * https://developer.atlassian.com/cloud/bitbucket/rest/api-group-commits/
 */
export function addRepositoryRoutes(
  router: Router,
  context: EmulatorContext,
  links: ApiLinks,
): void {
  const findUser: FindUserByEmail = (email) => context.users.findByEmail(email);

  router.get(REPO, requireScope('repository'), (req, res) => {
    const repository = findVisibleRepository(context, req, res);
    if (repository) res.json(repositoryJson(links, repository, userOf(principalOf(res))?.username));
  });

  router.get(`${REPO}/refs/branches`, requireScope('repository'), async (req, res) => {
    const repository = findVisibleRepository(context, req, res);
    if (!repository) return;
    const paging = readPaging(req, { defaultPagelen: 10, maxPagelen: 100 });
    const branches = filterAndSortBranches(
      req,
      await context.git.listBranches(gitDirOf(context, repository)),
    );
    const values = branches.map((branch) => branchJson(links, repository, branch, findUser));
    res.json(paginate(values, paging, publicRequestUrl(context.publicUrl, req)));
  });

  // The name may contain "/", percent-encoded ("feature%2Flogin") or not ("feature/login").
  router.get(`${REPO}/refs/branches/*name`, requireScope('repository'), async (req, res) => {
    const repository = findVisibleRepository(context, req, res);
    if (!repository) return;
    const name = wildcardParam(req.params.name);
    const branch = await context.git.findBranch(gitDirOf(context, repository), name);
    if (!branch) return sendApiError(res, 404, `Branch "${name}" not found.`);
    res.json(branchJson(links, repository, branch, findUser));
  });

  router.get(`${REPO}/commit/:commit`, requireScope('repository'), async (req, res) => {
    const repository = findVisibleRepository(context, req, res);
    if (!repository) return;
    const hash = String(req.params.commit);
    const commit = await context.git.findCommit(gitDirOf(context, repository), hash);
    if (!commit) return sendApiError(res, 404, `Commit ${hash} not found.`);
    res.json(commitJson(links, repository, commit, findUser));
  });

  router.get(
    `${REPO}/pullrequests/:pull_request_id`,
    requireScope('pullrequest'),
    async (req, res) => {
      const repository = findVisibleRepository(context, req, res);
      if (!repository) return;
      const rawId = String(req.params.pull_request_id);
      const id = /^[1-9]\d{0,9}$/.test(rawId) ? Number(rawId) : undefined;
      const pullRequest =
        id === undefined ? undefined : context.repositories.findPullRequest(repository.id, id);
      const author = pullRequest && context.users.findById(pullRequest.authorUserId);
      if (!pullRequest || !author)
        return sendApiError(res, 404, `Pull request ${rawId} not found.`);
      const gitDir = gitDirOf(context, repository);
      const [source, destination] = await Promise.all([
        context.git.findBranch(gitDir, pullRequest.sourceBranch),
        context.git.findBranch(gitDir, pullRequest.destinationBranch),
      ]);
      res.json(
        pullRequestJson(links, repository, pullRequest, author, {
          source: source?.commit.hash,
          destination: destination?.commit.hash,
        }),
      );
    },
  );
}

/**
 * The repository of the path, if the caller may read it. A private repository the caller cannot
 * see is a 404, exactly like one that does not exist, as on Bitbucket.
 */
function findVisibleRepository(
  context: EmulatorContext,
  req: Request,
  res: Response,
): Repository | undefined {
  const workspace = String(req.params.workspace);
  const slug = String(req.params.repo_slug);
  const repository = context.repositories.findRepository(workspace, slug);
  const user = userOf(principalOf(res));
  const visible =
    repository !== undefined &&
    (!repository.isPrivate ||
      (user !== undefined &&
        context.repositories.isWorkspaceMember(repository.workspace.id, user.id)));
  if (visible) return repository;
  sendApiError(res, 404, `Repository ${workspace}/${slug} not found`);
  return undefined;
}

function gitDirOf(context: EmulatorContext, repository: Repository): string {
  return repositoryGitDir(context.reposRoot, repository.workspace.slug, repository.slug);
}

function wildcardParam(value: unknown): string {
  return Array.isArray(value) ? value.join('/') : String(value);
}
