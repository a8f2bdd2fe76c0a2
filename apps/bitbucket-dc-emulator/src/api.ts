import type { DcApplicationProperties, DcMinimalRef } from '@runner-console/scm-providers/bitbucket-data-center-schema';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { authenticate, repositoryLevel, type Principal } from './access.ts';
import type { DataCenterContext } from './context.ts';
import { AUTHENTICATION_FAILED, sendDcError } from './errors.ts';
import { branchJson, commitJson, page, pullRequestJson, repositoryJson, tagJson, userJson } from './json.ts';
import { repositoryGitDir } from './seed.ts';
import { permits, type Repository, type RepositoryLevel } from './state.ts';

type Authed = Response<unknown, { principal: Principal }>;

/**
 * The REST API 1.0 (also at /rest/api/latest), as much of it as a client needs to connect, read
 * a repository and start from a pull request. Every authenticated answer carries `X-AUSERNAME`
 * (and `X-AUSERID`), which is how a client learns who a token belongs to.
 * https://developer.atlassian.com/server/bitbucket/rest/v906/intro/
 */
export function createApiRouter(context: DataCenterContext): Router {
  const router = Router();
  router.use(
    context.faults.middleware('api', (res) => sendDcError(res, 500, 'An unexpected error occurred.', 'java.lang.IllegalStateException'), (res, limit) => {
      // Data Center's rate limiting answers 429 with Retry-After (https://confluence.atlassian.com/bitbucketserver/improving-instance-stability-with-rate-limiting-976171954.html).
      res.status(429).set('Retry-After', String(limit.retryAfterSeconds));
      sendDcError(res, 429, 'You have been rate limited. Please try again later.');
    }),
  );
  router.use((req, res, next) => {
    context.counts.count('api');
    const principal = authenticate(context, req);
    if (principal === 'invalid') return sendDcError(res, 401, AUTHENTICATION_FAILED, 'com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException');
    if (principal === 'anonymous') return sendDcError(res, 401, 'Authentication required.', 'com.atlassian.bitbucket.AuthorisationException');
    res.set('X-AUSERNAME', principal.user.name).set('X-AUSERID', String(principal.user.id));
    res.locals.principal = principal;
    next();
  });

  // The server's version; any authenticated call answers X-AUSERNAME, so clients ask this one.
  router.get('/application-properties', (_req, res) => {
    const properties: DcApplicationProperties = { version: '9.4.0', buildNumber: '9004000', buildDate: '1733097600000', displayName: 'Bitbucket' };
    res.json(properties);
  });

  router.get('/users/:slug', (req, res: Authed) => {
    const user = context.state.findUserBySlug(String(req.params.slug));
    if (!user) return sendDcError(res, 404, `User ${String(req.params.slug)} does not exist.`, 'com.atlassian.bitbucket.user.NoSuchUserException');
    res.json(userJson(context, user));
  });

  // The repositories the token may read: a call that needs REPO_READ.
  router.get('/repos', (req, res: Authed) => {
    const principal = res.locals.principal;
    if (!needs(res, principal, 'REPO_READ')) return;
    const visible = [...context.state.repositories.values()].filter((repo) => !['none', 'hidden_by_token'].includes(repositoryLevel(principal, repo)));
    res.json(page(visible.map((repo) => repositoryJson(context, repo)), req.query));
  });

  const repoRoute = '/projects/:key/repos/:slug';
  router.use(repoRoute, (req: Request, res: Authed, next: NextFunction) => {
    const key = String(req.params.key);
    const slug = String(req.params.slug);
    if (!context.state.findProject(key)) return sendDcError(res, 404, `Project ${key} does not exist.`, 'com.atlassian.bitbucket.project.NoSuchProjectException');
    const repo = context.state.findRepository(key, slug);
    const level = repo ? repositoryLevel(res.locals.principal, repo) : 'none';
    if (!repo || level === 'none') return sendDcError(res, 404, `Repository ${key}/${slug} does not exist.`, 'com.atlassian.bitbucket.repository.NoSuchRepositoryException');
    if (level === 'hidden_by_token') return notPermitted(res, 'REPO_READ');
    (res.locals as unknown as { repo: Repository }).repo = repo;
    next();
  });
  const repoOf = (res: Response) => (res.locals as unknown as { repo: Repository }).repo;

  router.get(repoRoute, (_req, res) => {
    res.json(repositoryJson(context, repoOf(res)));
  });
  router.get(`${repoRoute}/default-branch`, (_req, res) => {
    const repo = repoOf(res);
    const ref: DcMinimalRef = { id: `refs/heads/${repo.defaultBranch}`, displayId: repo.defaultBranch, type: 'BRANCH' };
    res.json(ref);
  });
  router.get(`${repoRoute}/branches`, async (req, res, next) => {
    try {
      const repo = repoOf(res);
      const filter = typeof req.query.filterText === 'string' ? req.query.filterText : '';
      const branches = (await context.git.listBranches(repositoryGitDir(context.reposRoot, repo))).filter((branch) => branch.name.includes(filter)).sort((a, b) => a.name.localeCompare(b.name));
      res.json(page(branches.map((branch) => branchJson(branch, branch.name === repo.defaultBranch)), req.query));
    } catch (error) {
      next(error);
    }
  });
  router.get(`${repoRoute}/tags`, async (req, res, next) => {
    try {
      const filter = typeof req.query.filterText === 'string' ? req.query.filterText : '';
      const tags = (await context.git.listTags(repositoryGitDir(context.reposRoot, repoOf(res)))).filter((tag) => tag.name.includes(filter));
      res.json(page(tags.map(tagJson), req.query));
    } catch (error) {
      next(error);
    }
  });
  router.get(`${repoRoute}/commits/:commitId`, async (req, res, next) => {
    try {
      const repo = repoOf(res);
      const id = String(req.params.commitId);
      const commit = /^[0-9a-f]{4,40}$/i.test(id) ? await context.git.findCommit(repositoryGitDir(context.reposRoot, repo), id) : undefined;
      if (!commit) return sendDcError(res, 404, `Commit '${id}' does not exist in repository '${repo.slug}'.`, 'com.atlassian.bitbucket.commit.NoSuchCommitException');
      res.json(commitJson(commit));
    } catch (error) {
      next(error);
    }
  });
  router.get(`${repoRoute}/pull-requests/:id`, async (req, res, next) => {
    try {
      const repo = repoOf(res);
      const id = Number(req.params.id);
      const pull = context.state.pullRequests.find((candidate) => candidate.repositoryId === repo.id && candidate.id === id);
      if (!pull) return sendDcError(res, 404, `Pull request ${String(req.params.id)} does not exist in ${repo.projectKey}/${repo.slug}.`, 'com.atlassian.bitbucket.pull.NoSuchPullRequestException');
      const fromRepo = context.state.repositories.get(pull.fromRepositoryId)!;
      const [from, to] = await Promise.all([
        context.git.findBranch(repositoryGitDir(context.reposRoot, fromRepo), pull.fromBranch),
        context.git.findBranch(repositoryGitDir(context.reposRoot, repo), pull.toBranch),
      ]);
      res.json(pullRequestJson(context, pull, { from: from?.commit.hash, to: to?.commit.hash }));
    } catch (error) {
      next(error);
    }
  });
  router.use((_req, res) => sendDcError(res, 404, 'The requested resource does not exist.'));
  return router;
}

function needs(res: Response, principal: Principal, level: RepositoryLevel): boolean {
  if (permits(principal.token.permissions, level)) return true;
  notPermitted(res, level);
  return false;
}

/** A token without the permission a resource needs: 403, naming the permission. */
function notPermitted(res: Response, level: RepositoryLevel): void {
  sendDcError(res, 403, `This token does not have the ${level} permission this resource needs.`, 'com.atlassian.bitbucket.AuthorisationException');
}
