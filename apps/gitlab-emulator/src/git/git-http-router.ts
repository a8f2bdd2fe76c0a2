import type { ChildProcess } from 'node:child_process';
import { serveWithHttpBackend } from '@runner-console/emulator-kit';
import { Router, type Request, type Response } from 'express';
import { authenticate, projectAccess, tokenAllows } from '../access.ts';
import type { GitLabContext } from '../context.ts';
import { pathWithNamespace } from '../state.ts';

/** `/{group}/{subgroup…}/{project}.git/{rest}` */
const GIT_PATH = /^\/((?:[^/]+\/)+[^/]+?)\.git(\/.*)$/;

export interface GitHttp {
  router: Router;
  close(): void;
}

/**
 * Git over HTTPS: Basic auth with any user name (`oauth2` for OAuth tokens) and a token as the
 * password (https://docs.gitlab.com/api/oauth2/#access-git-over-https-with-access-token).
 * Clone needs Reporter and `read_repository`, `write_repository` or `api`; push needs Developer
 * and `write_repository` or `api`. A project the token cannot see is "The project you were
 * looking for could not be found", as on GitLab.
 */
export function createGitHttp(context: GitLabContext): GitHttp {
  const children = new Set<ChildProcess>();
  const router = Router();
  router.all(GIT_PATH, context.faults.middleware('git', (res) => refuse(res, 500, 'Internal Server Error')), (req, res) => {
    context.counts.count('git');
    handle(context, children, req, res);
  });
  return {
    router,
    close: () => {
      for (const child of children) child.kill();
    },
  };
}

function handle(context: GitLabContext, children: Set<ChildProcess>, req: Request, res: Response): void {
  const [, fullPath = '', rest = ''] = GIT_PATH.exec(req.path) ?? [];
  const service = smartHttpService(req, rest);
  if (!service) return refuse(res, 404, 'Only the smart HTTP protocol is supported.');
  const principal = authenticate(context, req);
  if (principal === 'invalid') return challenge(res, 'HTTP Basic: Access denied. If a password was provided for Git authentication, the password was incorrect or you\'re required to use a token instead of a password.');
  const project = context.state.findProjectByPath(fullPath);
  const access = project && projectAccess(context, principal === 'anonymous' ? undefined : principal, project);
  if (principal === 'anonymous' && (!access?.visible || service === 'git-receive-pack')) return challenge(res, 'HTTP Basic: Access denied.');
  if (!project || !access?.visible || principal === 'anonymous') return refuse(res, 404, 'The project you were looking for could not be found or you don\'t have permission to view it.');
  const push = service === 'git-receive-pack';
  if (!tokenAllows(principal.token, push ? 'git_push' : 'git_pull')) {
    return refuse(res, 403, `You are not allowed to ${push ? 'push code to' : 'download code from'} this project: the token lacks the ${push ? 'write_repository' : 'read_repository'} scope.`);
  }
  if (access.level < (push ? 30 : 20)) {
    return refuse(res, 403, `You are not allowed to ${push ? 'push code to' : 'download code from'} this project.`);
  }
  serveWithHttpBackend({
    req,
    res,
    projectRoot: context.reposRoot,
    pathInfo: `/${pathWithNamespace(project)}.git${rest}`,
    remoteUser: principal.user.username,
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

function challenge(res: Response, message: string): void {
  res.set('WWW-Authenticate', 'Basic realm="GitLab"');
  refuse(res, 401, message);
}

function refuse(res: Response, status: number, message: string): void {
  res.status(status).type('text/plain').send(`${message}\n`);
}
