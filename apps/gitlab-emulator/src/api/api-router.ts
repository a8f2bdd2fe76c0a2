import { GitCommandError, type CommitInfo } from '@runner-console/emulator-kit';
import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { authenticate, projectAccess, SCOPES_FOR, tokenAllows, type Principal } from '../access.ts';
import type { GitLabContext } from '../context.ts';
import { repositoryGitDir } from '../seed.ts';
import type { Project } from '../state.ts';
import { branchJson, commitJson, currentUserJson, mergeRequestJson, projectJson, tagJson } from './gitlab-json.ts';
import { paginate } from './paginate.ts';

const RATE_LIMIT = 2000;

interface ApiLocals {
  principal: Principal | undefined;
}

function principalOf(res: Response): Principal | undefined {
  return (res.locals as ApiLocals).principal;
}

/** GitLab's error bodies: `{"message":"404 Project Not Found"}`, `{"message":"401 Unauthorized"}`. */
export function sendMessage(res: Response, status: number, message: string): void {
  res.status(status).json({ message });
}

/**
 * GitLab's REST API under `/api/v4` (https://docs.gitlab.com/api/rest/): the current user and
 * e-mails, the personal access token's own record, projects by id or URL-encoded path (nested
 * groups included), branches, tags, commits and merge requests. A project the token cannot see
 * is `404 Project Not Found`, never 403.
 */
export function createApiRouter(context: GitLabContext): Router {
  const router = Router();
  router.use(
    context.faults.middleware(
      'api',
      (res) => sendMessage(res, 500, '500 Internal Server Error'),
      // https://docs.gitlab.com/security/rate_limits/#headers
      (res, limit) => {
        res
          .status(429)
          .set({
            'RateLimit-Name': 'throttle_authenticated_api',
            'RateLimit-Limit': String(RATE_LIMIT),
            'RateLimit-Observed': String(RATE_LIMIT + 1),
            'RateLimit-Remaining': '0',
            'RateLimit-Reset': String(limit.resetAt),
            'RateLimit-ResetTime': new Date(limit.resetAt * 1000).toUTCString(),
            'Retry-After': String(limit.retryAfterSeconds),
          })
          .type('text/plain')
          .send('Retry later\n');
      },
    ),
  );
  router.use((req, res, next) => {
    context.counts.count('api');
    const principal = authenticate(context, req);
    if (principal === 'invalid') return sendMessage(res, 401, '401 Unauthorized');
    (res.locals as ApiLocals).principal = principal === 'anonymous' ? undefined : principal;
    next();
  });

  router.get('/user', (_req, res) => {
    const principal = requireScope(res, 'read_user');
    if (!principal) return;
    res.json(currentUserJson(context.origins, principal.user));
  });

  router.get('/user/emails', (req, res) => {
    const principal = requireScope(res, 'read_user');
    if (!principal) return;
    res.json(paginate(req, res, context.origins.api, [{ id: principal.user.id, email: principal.user.email, confirmed_at: principal.user.createdAt }]));
  });

  // https://docs.gitlab.com/api/personal_access_tokens/#get-details-on-a-personal-access-token
  // The token's own record; any scope may read it (inferred: the product needs it to name a missing scope).
  router.get('/personal_access_tokens/self', (_req, res) => {
    const principal = principalOf(res);
    if (!principal) return sendMessage(res, 401, '401 Unauthorized');
    const { token } = principal;
    if (token.kind !== 'personal') return sendMessage(res, 404, '404 Not Found');
    res.json({
      id: token.id,
      name: token.name ?? 'token',
      revoked: token.revoked,
      created_at: new Date(token.createdAt).toISOString(),
      description: null,
      scopes: token.scopes,
      user_id: token.userId,
      last_used_at: new Date(context.clock.now()).toISOString(),
      active: true,
      expires_at: token.expiresAt === null ? null : new Date(token.expiresAt).toISOString().slice(0, 10),
    });
  });

  router.get('/projects/:id', (req, res) => {
    const found = findProject(req, res);
    if (!found) return;
    const forkedFrom = found.project.forkedFromId === null ? undefined : context.state.projects.get(found.project.forkedFromId);
    const visibleParent = forkedFrom && projectAccess(context, principalOf(res), forkedFrom).visible ? forkedFrom : undefined;
    res.json(projectJson(context.origins, found.project, found.level, visibleParent));
  });

  router.get('/projects/:id/repository/branches', async (req, res) => {
    const found = findProject(req, res);
    if (!found) return;
    const branches = await context.git.listBranches(gitDir(found.project));
    const search = typeof req.query.search === 'string' ? req.query.search : '';
    const page = paginate(req, res, context.origins.api, branches.filter((branch) => branch.name.includes(search)));
    res.json(page.map((branch) => branchJson(context.origins, found.project, branch.name, branch.commit, found.level >= 30)));
  });

  router.get('/projects/:id/repository/branches/:branch', async (req, res) => {
    const found = findProject(req, res);
    if (!found) return;
    const branch = await context.git.findBranch(gitDir(found.project), String(req.params.branch));
    if (!branch) return sendMessage(res, 404, '404 Branch Not Found');
    res.json(branchJson(context.origins, found.project, branch.name, branch.commit, found.level >= 30));
  });

  router.get('/projects/:id/repository/tags', async (req, res) => {
    const found = findProject(req, res);
    if (!found) return;
    const tags = await context.git.listTags(gitDir(found.project));
    const answers = [];
    for (const tag of paginate(req, res, context.origins.api, tags)) {
      const commit = await resolveCommit(found.project, tag.commitHash);
      if (commit) answers.push(tagJson(context.origins, found.project, tag.name, commit));
    }
    res.json(answers);
  });

  router.get('/projects/:id/repository/tags/:tag', async (req, res) => {
    const found = findProject(req, res);
    if (!found) return;
    const tag = (await context.git.listTags(gitDir(found.project))).find((candidate) => candidate.name === req.params.tag);
    const commit = tag && (await resolveCommit(found.project, tag.commitHash));
    if (!tag || !commit) return sendMessage(res, 404, '404 Tag Not Found');
    res.json(tagJson(context.origins, found.project, tag.name, commit));
  });

  // `:sha` is a commit hash, or a branch or tag name (https://docs.gitlab.com/api/commits/#get-a-single-commit).
  router.get('/projects/:id/repository/commits/:sha', async (req, res) => {
    const found = findProject(req, res);
    if (!found) return;
    const commit = await resolveCommit(found.project, String(req.params.sha));
    if (!commit) return sendMessage(res, 404, '404 Commit Not Found');
    res.json(commitJson(context.origins, found.project, commit));
  });

  router.get('/projects/:id/merge_requests', async (req, res) => {
    const found = findProject(req, res);
    if (!found) return;
    const state = typeof req.query.state === 'string' ? req.query.state : 'all';
    const mergeRequests = ['opened', 'all'].includes(state) ? context.state.mergeRequests.filter((mr) => mr.projectId === found.project.id) : [];
    const answers = [];
    for (const mergeRequest of paginate(req, res, context.origins.api, mergeRequests)) answers.push(await mergeRequestBody(found.project, mergeRequest));
    res.json(answers);
  });

  router.get('/projects/:id/merge_requests/:iid', async (req, res) => {
    const found = findProject(req, res);
    if (!found) return;
    const iid = /^\d{1,9}$/.test(String(req.params.iid)) ? Number(req.params.iid) : NaN;
    const mergeRequest = context.state.mergeRequests.find((candidate) => candidate.projectId === found.project.id && candidate.iid === iid);
    if (!mergeRequest) return sendMessage(res, 404, '404 Not found');
    res.json(await mergeRequestBody(found.project, mergeRequest));
  });

  router.use((_req, res) => res.status(404).json({ error: '404 Not Found' }));
  router.use(((error, req, res, next) => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) return res.status(400).json({ error: 'Bad request' });
    context.logger.error({ err: error, method: req.method, path: req.path }, 'API request failed');
    sendMessage(res, 500, '500 Internal Server Error');
  }) satisfies ErrorRequestHandler);
  return router;

  async function mergeRequestBody(target: Project, mergeRequest: (typeof context.state.mergeRequests)[number]) {
    const source = context.state.projects.get(mergeRequest.sourceProjectId);
    const head = source && (await context.git.findBranch(gitDir(source), mergeRequest.sourceBranch));
    const author = context.state.users.get(mergeRequest.authorId)!;
    return mergeRequestJson(context.origins, target, mergeRequest, author, head?.commit.hash ?? null);
  }

  function gitDir(project: Project): string {
    return repositoryGitDir(context.reposRoot, project);
  }

  async function resolveCommit(project: Project, ref: string): Promise<CommitInfo | undefined> {
    try {
      return await context.git.resolveCommit(gitDir(project), ref);
    } catch (error) {
      if (error instanceof GitCommandError) return undefined;
      throw error;
    }
  }

  /** A project the caller can see, with a token that may read the API; else the answer is sent. */
  function findProject(req: Request, res: Response): { project: Project; level: number } | undefined {
    const principal = principalOf(res);
    if (principal && !tokenAllows(principal.token, 'read_api')) {
      insufficientScope(res, 'read_api');
      return undefined;
    }
    const project = context.state.findProject(String(req.params.id));
    const access = project && projectAccess(context, principal, project);
    if (!project || !access?.visible) {
      sendMessage(res, 404, '404 Project Not Found');
      return undefined;
    }
    return { project, level: access.level };
  }
}

function requireScope(res: Response, need: 'read_user' | 'read_api'): Principal | undefined {
  const principal = principalOf(res);
  if (!principal) {
    sendMessage(res, 401, '401 Unauthorized');
    return undefined;
  }
  if (!tokenAllows(principal.token, need)) {
    insufficientScope(res, need);
    return undefined;
  }
  return principal;
}

/** https://docs.gitlab.com/api/rest/troubleshooting/#status-codes: 403 with the scopes that would do. */
function insufficientScope(res: Response, need: 'read_user' | 'read_api'): void {
  const description = 'The request requires higher privileges than provided by the access token.';
  res
    .status(403)
    .set('WWW-Authenticate', `Bearer realm="Protected by OAuth 2", error="insufficient_scope", error_description="${description}", scope="${SCOPES_FOR[need]}"`)
    .json({ error: 'insufficient_scope', error_description: description, scope: SCOPES_FOR[need] });
}
