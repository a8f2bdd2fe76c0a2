import type { ChildProcess } from 'node:child_process';
import { serveWithHttpBackend } from '@runner-console/emulator-kit';
import { Router, type Request, type Response } from 'express';
import { authenticate, repositoryLevel } from './access.ts';
import type { DataCenterContext } from './context.ts';

/** `/scm/{project key, any case}/{slug}.git/{rest}` (personal repositories: `/scm/~{user}/{slug}.git`). */
const GIT_PATH = /^\/scm\/([^/]+)\/([^/]+)\.git(\/.*)$/;

export interface GitHttp {
  router: Router;
  close(): void;
}

/**
 * Git over HTTPS at /scm/{key}/{slug}.git: Basic with the user name (or x-token-auth) and a token,
 * or Bearer. Clone needs REPO_READ, push REPO_WRITE, both of the user and of the token.
 */
export function createGitHttp(context: DataCenterContext): GitHttp {
  const children = new Set<ChildProcess>();
  const router = Router();
  router.all(GIT_PATH, context.faults.middleware('git', (res) => refuse(res, 500, 'Internal Server Error')), (req, res) => {
    context.counts.count('git');
    handle(context, children, req, res);
  });
  return { router, close: () => children.forEach((child) => child.kill()) };
}

function handle(context: DataCenterContext, children: Set<ChildProcess>, req: Request, res: Response): void {
  const [, key = '', slug = '', rest = ''] = GIT_PATH.exec(req.path) ?? [];
  const service = smartHttpService(req, rest);
  if (!service) return refuse(res, 404, 'Only the smart HTTP protocol is supported.');
  const principal = authenticate(context, req);
  if (principal === 'invalid' || principal === 'anonymous') {
    res.set('WWW-Authenticate', 'Basic realm="Atlassian Bitbucket"');
    return refuse(res, 401, 'Authentication failed. Please check your credentials and try again.');
  }
  const repo = context.state.findRepository(key, slug);
  const level = repo ? repositoryLevel(principal, repo) : 'none';
  if (!repo || level === 'none') return refuse(res, 404, `Repository not found`);
  const writes = level === 'REPO_WRITE' || level === 'REPO_ADMIN';
  if (level === 'hidden_by_token' || (service === 'git-receive-pack' && !writes)) {
    return refuse(res, 403, `You are not permitted to ${service === 'git-receive-pack' ? 'push to' : 'access'} ${repo.projectKey}/${repo.slug}.`);
  }
  serveWithHttpBackend({
    req,
    res,
    projectRoot: context.reposRoot,
    pathInfo: `/${repo.projectKey.toLowerCase()}/${repo.slug}.git${rest}`,
    remoteUser: principal.user.name,
    logger: context.logger,
    children,
  });
}

type GitService = 'git-upload-pack' | 'git-receive-pack';

function smartHttpService(req: Request, rest: string): GitService | undefined {
  if (rest === '/info/refs' && req.method === 'GET') {
    const service = req.query.service;
    return service === 'git-upload-pack' || service === 'git-receive-pack' ? service : undefined;
  }
  if (req.method === 'POST' && (rest === '/git-upload-pack' || rest === '/git-receive-pack')) return rest.slice(1) as GitService;
  return undefined;
}

function refuse(res: Response, status: number, message: string): void {
  res.status(status).type('text/plain').send(`${message}\n`);
}
