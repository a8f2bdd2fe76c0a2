import { GitCommandError, type CommitInfo } from '@runner-console/emulator-kit';
import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { authenticate, hasPermission, repositoryAccess, type Principal, type RepositoryAccess } from '../access.ts';
import type { GitHubContext } from '../context.ts';
import { repositoryGitDir } from '../seed.ts';
import type { Repository } from '../state.ts';
import { createGrantRevocationRouter } from '../oauth/grant-revocation-router.ts';
import { sendGitHubError, sendNotFound } from './github-error.ts';
import {
  branchJson,
  commitJson,
  fullRepositoryJson,
  gitRefJson,
  privateUser,
  pullRequestJson,
  pullRequestSimpleJson,
  shortBranchJson,
  tagJson,
  type EmailJson,
  type PullRequestSides,
} from './github-json.ts';
import { paginate } from './paginate.ts';

const RATE_LIMIT = 5000;

/** Locals a request carries after authentication. */
interface ApiLocals {
  principal: Principal | undefined;
}

function principalOf(res: Response): Principal | undefined {
  return (res.locals as ApiLocals).principal;
}

/**
 * GitHub's REST API as GitHub Enterprise Server serves it, under `/api/v3`: the paths the product
 * uses (user, e-mails, repository, branches, tags, commits, git refs, pull requests) and the
 * grant revocation. https://docs.github.com/en/enterprise-server@3.17/rest
 */
export function createApiRouter(context: GitHubContext): Router {
  const router = Router();
  router.use(
    context.faults.middleware(
      'api',
      (res) => sendGitHubError(res, 500, 'Server Error'),
      (res, limit) => {
        res.set({
          'x-ratelimit-limit': String(RATE_LIMIT),
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used': String(RATE_LIMIT),
          'x-ratelimit-reset': String(limit.resetAt),
          'x-ratelimit-resource': 'core',
          'Retry-After': String(limit.retryAfterSeconds),
        });
        sendGitHubError(
          res,
          limit.status,
          'API rate limit exceeded. Wait for the limit to reset.',
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        );
      },
    ),
  );
  // Client credentials, not a user token: before the token check.
  router.use(createGrantRevocationRouter(context));
  router.use((req, res, next) => {
    context.counts.count('api');
    res.set('X-GitHub-Media-Type', 'github.v3; format=json');
    const principal = authenticate(context, req);
    if (principal === 'invalid') return sendGitHubError(res, 401, 'Bad credentials');
    (res.locals as ApiLocals).principal = principal === 'anonymous' ? undefined : principal;
    if (principal !== 'anonymous') setTokenHeaders(context, res, principal);
    next();
  });

  router.get('/user', (_req, res) => {
    const principal = requirePrincipal(res);
    if (!principal) return;
    acceptedScopes(res, '');
    const privateRepos = [...context.state.repositories.values()].filter(
      (repo) => repo.private && repo.owner.id === principal.user.id,
    ).length;
    res.json(privateUser(context.origins, principal.user, { privateRepos }));
  });

  router.get('/user/emails', (req, res) => {
    const principal = requirePrincipal(res);
    if (!principal) return;
    acceptedScopes(res, 'user, user:email');
    const allowed = hasPermission(context, principal, {
      fineGrained: 'email_addresses',
      app: 'emails',
      scopes: ['user', 'user:email'],
    });
    if (!allowed) return refuseMissingPermission(res, principal, 'https://docs.github.com/rest/users/emails#list-email-addresses-for-the-authenticated-user');
    const emails: EmailJson[] = [
      { email: principal.user.email, primary: true, verified: true, visibility: 'private' },
      { email: `${principal.user.id}+${principal.user.login}@users.noreply.github.com`, primary: false, verified: true, visibility: null },
    ];
    res.json(paginate(req, res, context.origins.web, emails));
  });

  router.get('/repos/:owner/:repo', async (req, res) => {
    const found = findVisibleRepository(context, req, res);
    if (!found) return;
    const { repo, access } = found;
    const parent = repo.parentId === null ? undefined : context.state.repositories.get(repo.parentId);
    res.json(
      fullRepositoryJson(
        context.origins,
        repo,
        {
          admin: access.admin,
          maintain: access.admin,
          push: access.contents === 'write',
          triage: access.contents === 'write',
          pull: access.contents !== 'none',
        },
        parent && repositoryAccess(context, principalOf(res), parent).visible ? parent : undefined,
      ),
    );
  });

  router.get('/repos/:owner/:repo/branches', async (req, res) => {
    const found = findReadableRepository(context, req, res);
    if (!found) return;
    const branches = await context.git.listBranches(gitDir(context, found.repo));
    const page = paginate(req, res, context.origins.web, branches);
    res.json(page.map((branch) => shortBranchJson(context.origins, found.repo, branch.name, branch.commit.hash)));
  });

  router.get('/repos/:owner/:repo/branches/*branch', async (req, res) => {
    const found = findReadableRepository(context, req, res);
    if (!found) return;
    const name = wildcard(req, 'branch');
    const branch = await context.git.findBranch(gitDir(context, found.repo), name);
    if (!branch) return sendGitHubError(res, 404, 'Branch not found', 'https://docs.github.com/rest/branches/branches#get-a-branch');
    res.json(branchJson(context.origins, found.repo, branch.name, branch.commit));
  });

  router.get('/repos/:owner/:repo/tags', async (req, res) => {
    const found = findReadableRepository(context, req, res);
    if (!found) return;
    const tags = await context.git.listTags(gitDir(context, found.repo));
    const page = paginate(req, res, context.origins.web, tags);
    res.json(page.map((tag) => tagJson(context.origins, found.repo, tag.name, tag.commitHash)));
  });

  router.get('/repos/:owner/:repo/commits/*ref', async (req, res) => {
    const found = findReadableRepository(context, req, res);
    if (!found) return;
    const commit = await resolveCommit(context, found.repo, wildcard(req, 'ref'));
    if (!commit) {
      return sendGitHubError(res, 422, `No commit found for SHA: ${wildcard(req, 'ref')}`, 'https://docs.github.com/rest/commits/commits#get-a-commit');
    }
    res.json(commitJson(context.origins, found.repo, commit));
  });

  // `git/ref/{ref}` answers one ref; `git/refs/{prefix}` the refs under a prefix (one object when
  // the prefix is itself a ref, as GitHub does for `refs/heads/main`).
  router.get('/repos/:owner/:repo/git/ref/*ref', async (req, res) => {
    const found = findReadableRepository(context, req, res);
    if (!found) return;
    const wanted = `refs/${wildcard(req, 'ref')}`;
    const ref = (await listRefs(context, found.repo)).find((candidate) => candidate.ref === wanted);
    if (!ref) return sendNotFound(res, 'https://docs.github.com/rest/git/refs#get-a-reference');
    res.json(gitRefJson(context.origins, found.repo, ref.ref, ref.sha));
  });

  const matchingRefs = async (req: Request, res: Response, prefix: string) => {
    const found = findReadableRepository(context, req, res);
    if (!found) return;
    const refs = await listRefs(context, found.repo);
    const exact = refs.find((ref) => ref.ref === prefix);
    if (exact) return res.json(gitRefJson(context.origins, found.repo, exact.ref, exact.sha));
    const matching = refs.filter((ref) => ref.ref.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`) || prefix === 'refs');
    if (matching.length === 0) return sendNotFound(res, 'https://docs.github.com/rest/git/refs#list-matching-references');
    res.json(paginate(req, res, context.origins.web, matching).map((ref) => gitRefJson(context.origins, found.repo, ref.ref, ref.sha)));
  };
  router.get('/repos/:owner/:repo/git/refs', (req, res) => matchingRefs(req, res, 'refs'));
  router.get('/repos/:owner/:repo/git/refs/*ref', (req, res) => matchingRefs(req, res, `refs/${wildcard(req, 'ref')}`));

  router.get('/repos/:owner/:repo/pulls', async (req, res) => {
    const found = findVisibleRepository(context, req, res);
    if (!found) return;
    const principal = principalOf(res);
    if (principal && !canReadPulls(context, principal)) return refuseMissingPermission(res, principal, 'https://docs.github.com/rest/pulls/pulls#list-pull-requests');
    const state = typeof req.query.state === 'string' ? req.query.state : 'open';
    if (!['open', 'closed', 'all'].includes(state)) {
      return sendGitHubError(res, 422, 'Validation Failed: state must be open, closed or all', 'https://docs.github.com/rest/pulls/pulls#list-pull-requests');
    }
    const pulls = state === 'closed' ? [] : context.state.pulls.filter((pull) => pull.repositoryId === found.repo.id);
    const page = paginate(req, res, context.origins.web, pulls);
    const answers = [];
    for (const pull of page) {
      const sides = await pullSides(context, found.repo, pull);
      if (sides) answers.push(pullRequestSimpleJson(context.origins, pull, sides));
    }
    res.json(answers);
  });

  router.get('/repos/:owner/:repo/pulls/:number', async (req, res) => {
    const found = findVisibleRepository(context, req, res);
    if (!found) return;
    const principal = principalOf(res);
    if (principal && !canReadPulls(context, principal)) return refuseMissingPermission(res, principal, 'https://docs.github.com/rest/pulls/pulls#get-a-pull-request');
    const number = /^\d{1,9}$/.test(req.params.number) ? Number(req.params.number) : NaN;
    const pull = context.state.pulls.find((candidate) => candidate.repositoryId === found.repo.id && candidate.number === number);
    const sides = pull && (await pullSides(context, found.repo, pull));
    if (!pull || !sides) return sendNotFound(res, 'https://docs.github.com/rest/pulls/pulls#get-a-pull-request');
    res.json(pullRequestJson(context.origins, pull, sides));
  });

  router.use((_req, res) => sendNotFound(res));
  router.use(((error, req, res, next) => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendGitHubError(res, 400, 'Problems parsing JSON');
    }
    context.logger.error({ err: error, method: req.method, path: req.path }, 'API request failed');
    sendGitHubError(res, 500, 'Server Error');
  }) satisfies ErrorRequestHandler);
  return router;
}

function requirePrincipal(res: Response): Principal | undefined {
  const principal = principalOf(res);
  if (!principal) sendGitHubError(res, 401, 'Requires authentication', 'https://docs.github.com/rest/users/users#get-the-authenticated-user');
  return principal;
}

function acceptedScopes(res: Response, scopes: string): void {
  if (res.get('X-OAuth-Scopes') !== undefined) res.set('X-Accepted-OAuth-Scopes', scopes);
}

/**
 * Headers GitHub sends to an authenticated caller: the token's scopes (OAuth and classic tokens
 * only; fine-grained and App tokens have none), its expiry when it has one, and the rate limit.
 */
function setTokenHeaders(context: GitHubContext, res: Response, principal: Principal): void {
  const { token } = principal;
  if (token.kind === 'oauth' || token.kind === 'classic') {
    res.set('X-OAuth-Scopes', token.scopes.join(', '));
    res.set('X-Accepted-OAuth-Scopes', 'repo');
  }
  if (token.expiresAt !== null && token.kind !== 'app-user') {
    res.set('GitHub-Authentication-Token-Expiration', formatExpiration(token.expiresAt));
  }
  const used = context.counts.get(`api:user:${principal.user.id}`) + 1;
  context.counts.count(`api:user:${principal.user.id}`);
  const now = context.clock.now();
  res.set({
    'x-ratelimit-limit': String(RATE_LIMIT),
    'x-ratelimit-remaining': String(Math.max(0, RATE_LIMIT - used)),
    'x-ratelimit-used': String(used),
    'x-ratelimit-reset': String(Math.ceil(now / 3_600_000) * 3600),
    'x-ratelimit-resource': 'core',
  });
}

/** `2026-12-31 23:59:59 UTC`, the form GitHub writes the header in. */
export function formatExpiration(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function refuseMissingPermission(res: Response, principal: Principal, documentationUrl: string): void {
  if (principal.token.kind === 'oauth' || principal.token.kind === 'classic') {
    return sendNotFound(res, documentationUrl);
  }
  const actor = principal.token.kind === 'app-user' ? 'integration' : 'personal access token';
  sendGitHubError(res, 403, `Resource not accessible by ${actor}`, documentationUrl);
}

function canReadPulls(context: GitHubContext, principal: Principal): boolean {
  return hasPermission(context, principal, { fineGrained: 'pull_requests', app: 'pull_requests', scopes: [] });
}

function wildcard(req: Request, name: string): string {
  const value = (req.params as Record<string, string | string[]>)[name];
  return Array.isArray(value) ? value.join('/') : (value ?? '');
}

function gitDir(context: GitHubContext, repo: Repository): string {
  return repositoryGitDir(context.reposRoot, repo);
}

function findVisibleRepository(
  context: GitHubContext,
  req: Request,
  res: Response,
): { repo: Repository; access: RepositoryAccess } | undefined {
  const repo = context.state.findRepository(String(req.params.owner), String(req.params.repo));
  const access = repo && repositoryAccess(context, principalOf(res), repo);
  if (!repo || !access?.visible) {
    sendNotFound(res, 'https://docs.github.com/rest/repos/repos#get-a-repository');
    return undefined;
  }
  return { repo, access };
}

/** Branches, tags, commits and refs need contents access (fine-grained: `contents: read`). */
function findReadableRepository(
  context: GitHubContext,
  req: Request,
  res: Response,
): { repo: Repository; access: RepositoryAccess } | undefined {
  const found = findVisibleRepository(context, req, res);
  if (found && found.access.contents === 'none') {
    const principal = principalOf(res);
    if (principal) refuseMissingPermission(res, principal, 'https://docs.github.com/rest/repos/contents');
    return undefined;
  }
  return found;
}

async function resolveCommit(context: GitHubContext, repo: Repository, ref: string): Promise<CommitInfo | undefined> {
  try {
    return await context.git.resolveCommit(gitDir(context, repo), ref);
  } catch (error) {
    if (error instanceof GitCommandError) return undefined;
    throw error;
  }
}

async function listRefs(context: GitHubContext, repo: Repository): Promise<{ ref: string; sha: string }[]> {
  const dir = gitDir(context, repo);
  const branches = await context.git.listBranches(dir);
  const tags = await context.git.listTags(dir);
  return [
    ...branches.map((branch) => ({ ref: `refs/heads/${branch.name}`, sha: branch.commit.hash })),
    ...tags.map((tag) => ({ ref: `refs/tags/${tag.name}`, sha: tag.commitHash })),
  ];
}

async function pullSides(
  context: GitHubContext,
  repo: Repository,
  pull: { userId: number; headRepositoryId: number; headRef: string; baseRef: string },
): Promise<PullRequestSides | undefined> {
  const headRepo = context.state.repositories.get(pull.headRepositoryId);
  const author = context.state.users.get(pull.userId);
  if (!headRepo || !author) return undefined;
  const head = await context.git.findBranch(gitDir(context, headRepo), pull.headRef);
  const base = await context.git.findBranch(gitDir(context, repo), pull.baseRef);
  if (!head || !base) return undefined;
  return {
    repo,
    author: { id: author.id, login: author.login, type: 'User' },
    head: { repo: headRepo, sha: head.commit.hash },
    base: { sha: base.commit.hash },
  };
}
