// Git over HTTPS at /{org}/{project}/_git/{repo} (and /{org}/_git/{repo} when the project has the
// repository's name): Basic auth with any user name and a PAT or an Entra access token as the
// password (https://learn.microsoft.com/en-us/azure/devops/repos/git/auth-overview). Clone needs
// Code (Read), push Code (Read & write) and the Contribute permission.
import type { ChildProcess } from 'node:child_process';
import { serveWithHttpBackend } from '@runner-console/emulator-kit';
import { Router, type Request, type Response } from 'express';
import type { EmulatorContext } from '../context.ts';
import { authenticate, repositoryAccess } from './access.ts';

const GIT_PATH = /^\/([^/]+)\/(?:([^/]+)\/)?_git\/([^/]+)(\/info\/refs|\/git-upload-pack|\/git-receive-pack)$/;

export function createGitHttp(context: EmulatorContext): { router: Router; close(): void } {
  const children = new Set<ChildProcess>();
  const router = Router();
  router.all(GIT_PATH, context.faults.middleware('git', (res) => refuse(res, 500, 'Internal Server Error')), (req, res, next) => {
    context.counts.count('git');
    handle(context, children, req, res).catch(next);
  });
  return { router, close: () => children.forEach((child) => child.kill()) };
}

async function handle(context: EmulatorContext, children: Set<ChildProcess>, req: Request, res: Response): Promise<void> {
  const [, org = '', projectSegment, repoSegment = '', rest = ''] = GIT_PATH.exec(req.path) ?? [];
  const [project, name] = [decodeURIComponent(projectSegment ?? repoSegment), decodeURIComponent(repoSegment)];
  const service = rest === '/info/refs' ? (req.method === 'GET' ? req.query.service : undefined) : req.method === 'POST' ? rest.slice(1) : undefined;
  if (service !== 'git-upload-pack' && service !== 'git-receive-pack') return refuse(res, 404, 'Only the smart HTTP protocol is supported.');
  const principal = await authenticate(context, req);
  if (principal === 'anonymous' || principal === 'invalid') {
    res.set('WWW-Authenticate', `Basic realm="${context.devopsOrigin}/"`);
    return refuse(res, 401, 'Authentication failed.');
  }
  const repository = context.state.findRepository(org, project, name);
  const access = repository ? repositoryAccess(principal, repository) : 'none';
  if (!repository || access === 'none') return refuse(res, 404, `TF401019: The Git repository with name or identifier ${name} does not exist or you do not have permissions for the operation you are attempting.`);
  if (service === 'git-receive-pack' && access !== 'write') return refuse(res, 403, `TF401027: You need the Git 'GenericContribute' permission to perform this action. Details: identity '${principal.user.displayName}', scope 'repository'.`);
  serveWithHttpBackend({
    req,
    res,
    projectRoot: context.reposRoot,
    pathInfo: `/${repository.organization}/${repository.project.name}/${repository.name}.git${rest}`,
    remoteUser: principal.user.username,
    logger: context.logger,
    children,
  });
}

function refuse(res: Response, status: number, message: string): void {
  res.status(status).type('text/plain').send(`${message}\n`);
}
