import type { ChildProcess } from 'node:child_process';
import { Router, type Request, type Response } from 'express';
import type { EmulatorContext } from '../emulator-context.ts';
import { readBasicCredentials } from '@runner-console/emulator-kit';
import type { Scope } from '../oauth/scopes.ts';
import { checkApiTokenForGit } from '../api-tokens/api-token-credentials.ts';
import { apiTokenScopeFor, type ApiTokenScope } from '../api-tokens/api-token-scopes.ts';
import { verifyAccessToken } from '../oauth/verify-access-token.ts';
import type { Repository } from '../store/repository-store.ts';
import type { User } from '../store/user-store.ts';
import { serveWithHttpBackend } from '@runner-console/emulator-kit';
import { repositoryRelativePath } from './repository-paths.ts';

/** `/{workspace}/{repo}.git/{rest}` */
const GIT_PATH = /^\/([^/]+)\/([^/]+)\.git(\/.*)$/;

/** Bitbucket's challenge for git over HTTPS. */
const BASIC_CHALLENGE = 'Basic realm="Bitbucket.org HTTP"';

type GitService = 'git-upload-pack' | 'git-receive-pack';

/** Who is using git. A password (emulator convenience) is not limited by scopes. */
type GitCaller =
  | { kind: 'token'; user: User; scopes: readonly Scope[] }
  | { kind: 'password'; user: User }
  | { kind: 'api_token'; user: User; scopes: readonly ApiTokenScope[] }
  | { kind: 'anonymous' };

export interface GitHttp {
  router: Router;
  /** Stops running git processes (on shutdown). */
  close(): void;
}

/**
 * Git over HTTPS for the emulator's repositories: clone and fetch need the `repository` scope,
 * push needs `repository:write`. Credentials are HTTP Basic with `x-token-auth:{access_token}`
 * (https://developer.atlassian.com/cloud/bitbucket/oauth-2/#cloning-a-repository-with-an-access-token)
 * or, for convenience, a seeded user's username and password.
 */
export function createGitHttp(context: EmulatorContext): GitHttp {
  const children = new Set<ChildProcess>();
  const router = Router();
  router.all(
    GIT_PATH,
    context.faults.middleware('git', (res) =>
      refuse(res, 500, 'Something went wrong. Try again in a moment.'),
    ),
    (req, res) => {
      context.stats.countGit();
      handleGitRequest(context, children, req, res);
    },
  );
  return {
    router,
    close: () => {
      for (const child of children) child.kill();
    },
  };
}

function handleGitRequest(
  context: EmulatorContext,
  children: Set<ChildProcess>,
  req: Request,
  res: Response,
): void {
  const [, workspaceSlug = '', repoSlug = '', rest = ''] = GIT_PATH.exec(req.path) ?? [];
  const service = smartHttpService(req, rest);
  const caller = identifyCaller(context, req);
  if (caller === 'invalid') return challenge(res);
  const repository = context.repositories.findRepository(workspaceSlug, repoSlug);
  if (
    caller.kind === 'anonymous' &&
    !(repository && !repository.isPrivate && service === 'git-upload-pack')
  ) {
    return challenge(res);
  }
  if (!service) return refuse(res, 404, 'Only the smart HTTP protocol is supported.');
  const requiredScope: Scope = service === 'git-receive-pack' ? 'repository:write' : 'repository';
  if (caller.kind === 'token' && !caller.scopes.includes(requiredScope)) {
    return refuse(res, 403, 'Your credentials lack one or more required privilege scopes.');
  }
  const requiredApiTokenScope = apiTokenScopeFor(requiredScope);
  if (caller.kind === 'api_token' && requiredApiTokenScope && !caller.scopes.includes(requiredApiTokenScope)) {
    return refuse(
      res,
      403,
      `Your credentials lack one or more required privilege scopes (${requiredApiTokenScope}).`,
    );
  }
  if (!repository || !canRead(context, repository, caller))
    return refuse(res, 404, 'Repository not found');
  if (service === 'git-receive-pack' && !canWrite(context, repository, caller)) {
    return refuse(res, 403, 'You do not have write access to this repository.');
  }
  serveWithHttpBackend({
    req,
    res,
    projectRoot: context.reposRoot,
    pathInfo: `/${repositoryRelativePath(repository.workspace.slug, repository.slug)}${rest}`,
    remoteUser: caller.kind === 'anonymous' ? undefined : caller.user.username,
    logger: context.logger,
    children,
  });
}

/** The smart HTTP service a request belongs to; undefined for dumb-protocol paths. */
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

/**
 * One way of signing in to git over HTTPS: undefined when the credentials are not its kind, the
 * caller, or 'invalid'. A new credential kind (API tokens with `x-bitbucket-api-token-auth`) is
 * one more function in GIT_SCHEMES.
 */
type GitScheme = (
  context: EmulatorContext,
  credentials: { username: string; password: string },
) => GitCaller | 'invalid' | undefined;

/** `x-token-auth:{access_token}`, an OAuth access token. */
const accessTokenScheme: GitScheme = (context, { username, password }) => {
  if (username !== 'x-token-auth') return undefined;
  const check = verifyAccessToken(context, password);
  return check.ok ? { kind: 'token', user: check.user, scopes: check.token.scopes } : 'invalid';
};

/** A seeded user's username and password (emulator convenience). */
const passwordScheme: GitScheme = (context, { username, password }) => {
  const user = context.users.authenticate(username, password);
  return user ? { kind: 'password', user } : 'invalid';
};

/**
 * API tokens: `x-bitbucket-api-token-auth` or the owner's username, with the token
 * (https://support.atlassian.com/bitbucket-cloud/docs/using-api-tokens/).
 */
const apiTokenScheme: GitScheme = (context, { username, password }) => {
  const apiToken = checkApiTokenForGit(context, username, password);
  if (!apiToken) return undefined;
  return apiToken.ok ? { kind: 'api_token', user: apiToken.user, scopes: apiToken.token.scopes } : 'invalid';
};

const GIT_SCHEMES: readonly GitScheme[] = [accessTokenScheme, apiTokenScheme, passwordScheme];

function identifyCaller(context: EmulatorContext, req: Request): GitCaller | 'invalid' {
  const credentials = readBasicCredentials(req);
  if (!credentials)
    return req.get('authorization') === undefined ? { kind: 'anonymous' } : 'invalid';
  for (const scheme of GIT_SCHEMES) {
    const caller = scheme(context, credentials);
    if (caller !== undefined) return caller;
  }
  return 'invalid';
}

function canRead(context: EmulatorContext, repository: Repository, caller: GitCaller): boolean {
  return !repository.isPrivate || canWrite(context, repository, caller);
}

function canWrite(context: EmulatorContext, repository: Repository, caller: GitCaller): boolean {
  return (
    caller.kind !== 'anonymous' &&
    context.repositories.isWorkspaceMember(repository.workspace.id, caller.user.id)
  );
}

function challenge(res: Response): void {
  res.set('WWW-Authenticate', BASIC_CHALLENGE);
  refuse(
    res,
    401,
    'Authentication failed. Use x-token-auth and an access token, or a username and password.',
  );
}

function refuse(res: Response, status: number, message: string): void {
  res.status(status).type('text/plain').send(`${message}\n`);
}
