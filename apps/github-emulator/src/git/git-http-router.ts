import type { ChildProcess } from 'node:child_process';
import { serveWithHttpBackend } from '@runner-console/emulator-kit';
import { Router, type Request, type Response } from 'express';
import { authenticate, repositoryAccess } from '../access.ts';
import type { GitHubContext } from '../context.ts';

/** `/{owner}/{repo}.git/{rest}` */
const GIT_PATH = /^\/([^/]+)\/([^/]+)\.git(\/.*)$/;

export interface GitHttp {
  router: Router;
  close(): void;
}

/**
 * Git over HTTPS: Basic auth with the token as password (GitHub ignores the user name; the
 * product sends `x-access-token`). Clone needs read access, push needs write: `repo` scope
 * (classic and OAuth tokens) or `contents: write` (fine-grained and App tokens). A repository the
 * token cannot see is "Repository not found", as on GitHub.
 */
export function createGitHttp(context: GitHubContext): GitHttp {
  const children = new Set<ChildProcess>();
  const router = Router();
  router.all(
    GIT_PATH,
    context.faults.middleware('git', (res) => refuse(res, 500, 'Internal Server Error')),
    (req, res) => {
      context.counts.count('git');
      handle(context, children, req, res);
    },
  );
  return {
    router,
    close: () => {
      for (const child of children) child.kill();
    },
  };
}

function handle(context: GitHubContext, children: Set<ChildProcess>, req: Request, res: Response): void {
  const [, owner = '', name = '', rest = ''] = GIT_PATH.exec(req.path) ?? [];
  const service = smartHttpService(req, rest);
  if (!service) return refuse(res, 404, 'Only the smart HTTP protocol is supported.');
  const principal = authenticate(context, req);
  if (principal === 'invalid') return challenge(res, 'Invalid username or token. Password authentication is not supported for Git operations.');
  const repo = context.state.findRepository(owner, name);
  const access = repo && repositoryAccess(context, principal === 'anonymous' ? undefined : principal, repo);
  if (principal === 'anonymous' && (!access?.visible || service === 'git-receive-pack')) return challenge(res, 'Authentication required.');
  if (!repo || !access?.visible) return refuse(res, 404, 'Repository not found.');
  const needed = service === 'git-receive-pack' ? 'write' : 'read';
  if (access.contents === 'none' || (needed === 'write' && access.contents !== 'write')) {
    const who = principal === 'anonymous' ? 'anonymous' : principal.user.login;
    return refuse(res, 403, `Permission to ${repo.owner.login}/${repo.name}.git denied to ${who}.`);
  }
  serveWithHttpBackend({
    req,
    res,
    projectRoot: context.reposRoot,
    pathInfo: `/${repo.owner.login}/${repo.name}.git${rest}`,
    remoteUser: principal === 'anonymous' ? undefined : principal.user.login,
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
  if (req.method === 'POST' && (rest === '/git-upload-pack' || rest === '/git-receive-pack')) {
    return rest.slice(1) as GitService;
  }
  return undefined;
}

function challenge(res: Response, message: string): void {
  res.set('WWW-Authenticate', 'Basic realm="GitHub"');
  refuse(res, 401, message);
}

function refuse(res: Response, status: number, message: string): void {
  res.status(status).type('text/plain').send(`${message}\n`);
}
