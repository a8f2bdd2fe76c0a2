// The Azure DevOps REST API the runner and azure-devops-node-api use, at api-version 7.1
// (https://learn.microsoft.com/en-us/rest/api/azure/devops/?view=azure-devops-rest-7.1):
//   GET /_apis/profile/profiles/me, /_apis/accounts?memberId=  (app.vssps.visualstudio.com on the real service)
//   GET /{org}/_apis/connectionData
//   GET /{org}[/{project}]/_apis/git/repositories[/{repo}], …/refs, …/commits[/{id}], …/pullrequests[/{id}]
//   OPTIONS /{org}/_apis/{area}: the resource locations azure-devops-node-api negotiates with
// Lists that page (refs) answer `x-ms-continuationtoken` and take `continuationToken`.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { EmulatorContext } from '../context.ts';
import type { Repository } from '../state.ts';
import { authenticate, repositoryAccess, type Principal } from './access.ts';
import { commitJson, errorJson, identityRef, repositoryJson, repositoryUrl } from './devops-json.ts';

const SUPPORTED_VERSION = /^7\.[01](-preview(\.\d+)?)?$/;
const HEX40 = /^[0-9a-f]{40}$/i;

/** Where each resource lives, as the real service answers OPTIONS /_apis/{area} (ids from azure-devops-node-api). */
const LOCATIONS: Record<string, { id: string; resourceName: string; routeTemplate: string }[]> = {
  location: [{ id: 'e81700f7-3be2-46de-8624-2eb35882fcaa', resourceName: 'ResourceAreas', routeTemplate: '_apis/{resource}/{areaId}' }],
  git: [
    { id: '225f7195-f9c7-4d14-ab28-a83f7ff77e1f', resourceName: 'repositories', routeTemplate: '{project}/_apis/{area}/{resource}/{repositoryId}' },
    { id: '2d874a60-a811-4f62-9c9f-963a6ea0a55b', resourceName: 'refs', routeTemplate: '{project}/_apis/{area}/repositories/{repositoryId}/{resource}/{*filter}' },
    { id: 'c2570c3b-5b3f-41b8-98bf-5407bfde8d58', resourceName: 'commits', routeTemplate: '{project}/_apis/{area}/repositories/{repositoryId}/{resource}/{commitId}' },
    { id: '01a46dea-7d46-4d40-bc84-319e7c260d99', resourceName: 'pullRequests', routeTemplate: '{project}/_apis/{area}/{resource}/{pullRequestId}' },
    { id: '9946fd70-0d40-406e-b686-b4744cbbcc37', resourceName: 'pullRequests', routeTemplate: '{project}/_apis/{area}/repositories/{repositoryId}/{resource}/{pullRequestId}' },
  ],
};

type Authed = Request & { principal?: Principal };

export function createDevOpsApiRouter(context: EmulatorContext): Router {
  const router = Router();
  const origin = context.devopsOrigin;

  router.options('/:org/_apis/:area', (req, res) => {
    const locations = LOCATIONS[String(req.params.area).toLowerCase()] ?? [];
    res.json({
      count: locations.length,
      value: locations.map((location) => ({ ...location, area: String(req.params.area), minVersion: '1.0', maxVersion: '7.1', releasedVersion: '7.1', resourceVersion: 1 })),
    });
  });

  const api = Router();
  // Only REST paths: git (/_git/) and the pages are other routers'.
  api.use((req, _res, next) => next(req.path.startsWith('/_apis/') || req.path.includes('/_apis/') ? undefined : 'router'));
  api.use(context.faults.middleware('api', (res) => res.status(500).json(errorJson('TF246017: Azure DevOps could not answer. Try again later.', 'VssServiceException')), rateLimited));
  api.use(checkApiVersion);
  api.use((req, res, next) => {
    context.counts.count('api');
    void authenticate(context, req).then((principal) => {
      if (principal === 'anonymous' || principal === 'invalid') {
        res.set('WWW-Authenticate', `Bearer authorization_uri=https://login.microsoftonline.com/common, Basic realm="${origin}/"`);
        return res.status(401).json(errorJson('TF400813: The user is not authorized to access this resource.', 'UnauthorizedRequestException'));
      }
      (req as Authed).principal = principal;
      next();
    }, next);
  });

  // On the real service: https://app.vssps.visualstudio.com/_apis/profile/profiles/me
  api.get('/_apis/profile/profiles/me', (req, res) => {
    const { user } = (req as Authed).principal!;
    res.json({ displayName: user.displayName, publicAlias: user.id, emailAddress: user.email, coreRevision: 1, timeStamp: '2024-01-02T08:00:00+00:00', id: user.id, revision: 1 });
  });

  api.get('/_apis/accounts', (req, res) => {
    const principal = (req as Authed).principal!;
    if (req.query.memberId !== principal.user.id) return res.status(403).json(errorJson('TF400813: The user is not authorized to access this resource.', 'UnauthorizedRequestException'));
    const value = [...context.state.organizations.values()]
      .filter((org) => org.members.has(principal.user.id) && (principal.organization === null || principal.organization === org.name))
      .map((org) => ({ accountId: org.id, accountUri: `${origin}/${org.name}/`, accountName: org.name, properties: {} }));
    res.json({ count: value.length, value });
  });

  api.get('/:org/_apis/ResourceAreas', (_req, res) => {
    // As an on-premises server answers: every area lives at the organization's own URL.
    res.json({ count: 0, value: null });
  });

  api.get('/:org/_apis/connectionData', (req, res) => {
    const principal = (req as Authed).principal!;
    const org = orgOf(context, req, principal);
    if (!org) return notAuthorized(res);
    const { user } = principal;
    const identity = { id: user.id, descriptor: `Microsoft.IdentityModel.Claims.ClaimsIdentity;${user.tenantId}\\${user.email}`, subjectDescriptor: `aad.${Buffer.from(user.id).toString('base64url')}`, providerDisplayName: user.displayName, isActive: true, members: [], memberOf: [], properties: { Account: { $type: 'System.String', $value: user.email } }, resourceVersion: 2, metaTypeId: 0 };
    res.json({ authenticatedUser: identity, authorizedUser: identity, instanceId: org.id, deploymentId: org.id, deploymentType: 'hosted', locationServiceData: { serviceOwner: '00025394-6065-48ca-87d9-7f5672854ef7', defaultAccessMappingMoniker: 'PublicAccessMapping', lastChangeId: 1, lastChangeId64: 1 } });
  });

  const listRepositories = (req: Request, res: Response) => {
    const principal = (req as Authed).principal!;
    if (!orgOf(context, req, principal)) return notAuthorized(res);
    if (!principal.scopes.has('vso.code')) return notAuthorized(res);
    const project = req.params.project === undefined ? undefined : String(req.params.project).toLowerCase();
    const value = context.state.repositories
      .filter((repo) => repo.organization === String(req.params.org).toLowerCase() && (project === undefined || repo.project.name.toLowerCase() === project || repo.project.id === project))
      .filter((repo) => repositoryAccess(principal, repo) !== 'none')
      .map((repo) => repositoryJson(origin, repo));
    res.json({ value, count: value.length });
  };
  api.get('/:org/_apis/git/repositories', listRepositories);
  api.get('/:org/:project/_apis/git/repositories', listRepositories);

  const withRepository = (handler: (req: Request, res: Response, repository: Repository) => unknown) => (req: Request, res: Response, next: NextFunction) => {
    const principal = (req as Authed).principal!;
    if (!orgOf(context, req, principal)) return notAuthorized(res);
    if (!principal.scopes.has('vso.code')) return notAuthorized(res);
    const project = req.params.project === undefined ? undefined : String(req.params.project);
    const repoName = String(req.params.repo);
    const repository = project === undefined ? context.state.repositories.find((repo) => repo.id === repoName.toLowerCase()) : context.state.findRepository(String(req.params.org), project, repoName);
    if (!repository || repositoryAccess(principal, repository) === 'none') {
      return res.status(404).json(errorJson(`TF401019: The Git repository with name or identifier ${repoName} does not exist or you do not have permissions for the operation you are attempting.`, 'GitRepositoryNotFoundException'));
    }
    Promise.resolve(handler(req, res, repository)).catch(next);
  };

  const getRepository = withRepository((_req, res, repository) => void res.json(repositoryJson(origin, repository)));
  api.get('/:org/_apis/git/repositories/:repo', getRepository);
  api.get('/:org/:project/_apis/git/repositories/:repo', getRepository);

  api.get(
    '/:org/:project/_apis/git/repositories/:repo/refs',
    withRepository(async (req, res, repository) => {
      const gitDir = gitDirOf(context, repository);
      const branches = (await context.git.listBranches(gitDir)).map((branch) => ({ name: `refs/heads/${branch.name}`, objectId: branch.commit.hash }));
      const tags = (await context.git.listTags(gitDir)).map((tag) => ({ name: `refs/tags/${tag.name}`, objectId: tag.commitHash, ...(req.query.peelTags === 'true' ? { peeledObjectId: tag.commitHash } : {}) }));
      const filter = typeof req.query.filter === 'string' ? req.query.filter.replace(/^refs\//, '') : '';
      const all = [...branches, ...tags].filter((ref) => ref.name.startsWith(`refs/${filter}`)).sort((a, b) => a.name.localeCompare(b.name));
      const top = Math.min(Math.max(Number(req.query.$top ?? 1000) || 1000, 1), 1000);
      const start = readContinuation(req.query.continuationToken);
      if (start === null) return res.status(400).json(errorJson('The continuation token is not valid.', 'InvalidArgumentValueException'));
      const page = all.slice(start, start + top);
      if (start + top < all.length) res.set('x-ms-continuationtoken', Buffer.from(`ref:${start + top}`).toString('base64url'));
      res.json({ value: page.map((ref) => ({ ...ref, creator: identityRef(origin, context.state.users.get(repository.pullRequests[0]?.createdBy ?? '') ?? [...context.state.users.values()][0]!), url: `${repositoryUrl(origin, repository)}/refs?filter=${encodeURIComponent(ref.name.slice(5))}` })), count: page.length });
    }),
  );

  api.get(
    '/:org/:project/_apis/git/repositories/:repo/commits/:commit',
    withRepository(async (req, res, repository) => {
      const id = String(req.params.commit);
      const commit = HEX40.test(id) ? await context.git.findCommit(gitDirOf(context, repository), id.toLowerCase()) : undefined;
      if (!commit) return res.status(404).json(errorJson(`TF401175:The version descriptor <Commit: ${id}> could not be resolved to a version in the repository ${repository.name}`, 'GitUnresolvableToCommitException'));
      res.json(commitJson(origin, repository, commit));
    }),
  );

  api.get(
    '/:org/:project/_apis/git/repositories/:repo/commits',
    withRepository(async (req, res, repository) => {
      const version = typeof req.query['searchCriteria.itemVersion.version'] === 'string' ? req.query['searchCriteria.itemVersion.version'] : repository.defaultBranch;
      const top = Math.min(Math.max(Number(req.query['searchCriteria.$top'] ?? req.query.$top ?? 100) || 100, 1), 1000);
      const skip = Math.max(Number(req.query['searchCriteria.$skip'] ?? req.query.$skip ?? 0) || 0, 0);
      const gitDir = gitDirOf(context, repository);
      const head = await context.git.resolveCommit(gitDir, version);
      if (!head) return res.status(404).json(errorJson(`TF401175:The version descriptor <Branch: ${version}> could not be resolved to a version in the repository ${repository.name}`, 'GitUnresolvableToCommitException'));
      const history = [];
      for (let commit: typeof head | undefined = head; commit && history.length < skip + top; commit = commit.parents[0] ? await context.git.findCommit(gitDir, commit.parents[0]) : undefined) history.push(commit);
      const value = history.slice(skip).map((commit) => commitJson(origin, repository, commit));
      res.json({ count: value.length, value });
    }),
  );

  const getPullRequest = withRepository(async (req, res, repository) => {
    const id = Number(req.params.pullRequestId);
    const pull = repository.pullRequests.find((candidate) => candidate.id === id);
    if (!pull) return res.status(404).json(errorJson(`TF401180: The requested pull request was not found.`, 'GitPullRequestNotFoundException'));
    res.json(await pullRequestJson(context, repository, pull));
  });
  api.get('/:org/:project/_apis/git/repositories/:repo/pullrequests/:pullRequestId', getPullRequest);
  api.get('/:org/:project/_apis/git/repositories/:repo/pullRequests/:pullRequestId', getPullRequest);
  api.get('/:org/:project/_apis/git/pullrequests/:pullRequestId', (req, res, next) => {
    const principal = (req as Authed).principal!;
    const id = Number(req.params.pullRequestId);
    const repository = context.state.repositories.find((repo) => repo.organization === String(req.params.org).toLowerCase() && repo.pullRequests.some((pull) => pull.id === id) && repositoryAccess(principal, repo) !== 'none');
    if (!repository) return res.status(404).json(errorJson(`TF401180: The requested pull request was not found.`, 'GitPullRequestNotFoundException'));
    (req.params as Record<string, string>).repo = repository.id;
    return getPullRequest(req, res, next);
  });

  router.use(api);
  return router;
}

async function pullRequestJson(context: EmulatorContext, repository: Repository, pull: Repository['pullRequests'][number]) {
  const origin = context.devopsOrigin;
  const gitDir = gitDirOf(context, repository);
  const [source, target] = await Promise.all([context.git.findBranch(gitDir, pull.sourceBranch), context.git.findBranch(gitDir, pull.targetBranch)]);
  const creator = context.state.users.get(pull.createdBy)!;
  return {
    repository: { id: repository.id, name: repository.name, url: repositoryUrl(origin, repository), project: { id: repository.project.id, name: repository.project.name, state: 'unchanged', visibility: 'unchanged', lastUpdateTime: '0001-01-01T00:00:00' } },
    pullRequestId: pull.id,
    codeReviewId: pull.id,
    status: 'active',
    createdBy: identityRef(origin, creator),
    creationDate: pull.creationDate,
    title: pull.title,
    description: pull.description,
    sourceRefName: `refs/heads/${pull.sourceBranch}`,
    targetRefName: `refs/heads/${pull.targetBranch}`,
    mergeStatus: 'succeeded',
    isDraft: false,
    mergeId: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
    lastMergeSourceCommit: source ? { commitId: source.commit.hash, url: `${repositoryUrl(origin, repository)}/commits/${source.commit.hash}` } : null,
    lastMergeTargetCommit: target ? { commitId: target.commit.hash, url: `${repositoryUrl(origin, repository)}/commits/${target.commit.hash}` } : null,
    reviewers: [],
    url: `${repositoryUrl(origin, repository)}/pullRequests/${pull.id}`,
    supportsIterations: true,
  };
}

export function gitDirOf(context: EmulatorContext, repository: Repository): string {
  return `${context.reposRoot}/${repository.organization}/${repository.project.name}/${repository.name}.git`;
}

function orgOf(context: EmulatorContext, req: Request, principal: Principal) {
  const org = context.state.organizations.get(String(req.params.org).toLowerCase());
  if (!org || !org.members.has(principal.user.id)) return undefined;
  if (principal.organization !== null && principal.organization !== org.name) return undefined;
  return org;
}

function notAuthorized(res: Response): void {
  res.status(401).json(errorJson('TF400813: The user is not authorized to access this resource.', 'UnauthorizedRequestException'));
}

function readContinuation(value: unknown): number | null {
  if (value === undefined) return 0;
  const match = typeof value === 'string' ? /^ref:(\d{1,7})$/.exec(Buffer.from(value, 'base64url').toString('utf8')) : null;
  return match ? Number(match[1]) : null;
}

/** `api-version` in the query, or in Accept (`application/json;api-version=7.1`, as azure-devops-node-api sends it). */
function checkApiVersion(req: Request, res: Response, next: NextFunction): void {
  const fromQuery = typeof req.query['api-version'] === 'string' ? req.query['api-version'] : undefined;
  const fromAccept = /api-version=([0-9a-z.-]+)/i.exec(req.get('accept') ?? '')?.[1];
  const version = fromQuery ?? fromAccept;
  if (version === undefined) {
    res.status(400).json(errorJson('No api-version was supplied for the "GET" request. The version must be supplied either as part of the Accept header (e.g. "application/json; api-version=1.0") or as a query parameter (e.g. "?api-version=1.0").', 'VssVersionNotSpecifiedException'));
    return;
  }
  if (!SUPPORTED_VERSION.test(version)) {
    res.status(400).json(errorJson(`The requested REST API version of ${version} is out of range for this server. The latest REST API version this server supports is 7.1.`, 'VssVersionOutOfRangeException'));
    return;
  }
  next();
}

/** Azure DevOps' rate limit: 429 with Retry-After and the X-RateLimit-* headers (https://learn.microsoft.com/en-us/azure/devops/integrate/concepts/rate-limits). */
function rateLimited(res: Response, limit: { status: number; resetAt: number; retryAfterSeconds: number }): void {
  res
    .status(429)
    .set({ 'Retry-After': String(limit.retryAfterSeconds), 'X-RateLimit-Resource': 'Core', 'X-RateLimit-Delay': '0', 'X-RateLimit-Limit': '200', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(limit.resetAt) })
    .json(errorJson('TF400733: The request has been rate limited. Try again later.', 'RequestBlockedException'));
}
