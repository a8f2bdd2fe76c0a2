import type { ParsedContext } from '@runner-console/contracts';
import { parseBitbucketContextUrl, type BitbucketContext } from '@runner-console/scm-providers';
import type { RunnerConfig } from '../config.ts';
import type { IntegrationRegistry } from '../integrations/integration-registry.ts';
import { TokenUnavailableError, type AccessTokenProvider } from '../tokens/access-token-provider.ts';
import type { StoredToken } from '../tokens/token-store.ts';
import { createBitbucketApi, ProviderApiError } from '../bitbucket/bitbucket-api.ts';
import { endpointsForHost, providerSitesOf, type ProviderEndpoints } from '../oauth/provider-endpoints.ts';
import { buildCloneUrl, CloneRefusal } from '../git/clone-target.ts';
import { restAuthorizationFor } from '../tokens/provider-credentials.ts';

/** A refusal the BFF maps to a clear API error (see the BFF's environment service). */
export class ContextError extends Error {
  constructor(
    readonly code: 'not_a_repository' | 'no_integration' | 'not_connected' | 'needs_reauthorization' | 'repository_not_found' | 'ref_not_found' | 'provider_unreachable' | 'provider_error',
    message: string,
  ) {
    super(message);
  }
}

/**
 * ParseContextURL: turn a Bitbucket URL into what a clone needs, with the user's own token, so a
 * repository the user cannot see stays invisible (Bitbucket answers 404).
 */
export function createContextParser(deps: { config: RunnerConfig; registry: IntegrationRegistry; tokens: AccessTokenProvider }) {
  return async function parseContext(userId: string, contextUrl: string): Promise<{ context: ParsedContext; token: StoredToken }> {
    // A link on the runner's own Bitbucket origin (the emulator) is a bitbucket.org link here.
    const siteOrigins = providerSitesOf(deps.config).map((site) => site.origin);
    const parsed = parseBitbucketContextUrl(contextUrl, { siteOrigins });
    // Another host (github.com, a Data Center server) is not something an admin can add yet: say
    // what the parser says ("No integration serves github.com…"), not "ask an admin".
    if (!parsed.ok) throw new ContextError('not_a_repository', parsed.message);
    const ctx = parsed.context;
    const integration = deps.registry.findByHost(ctx.host);
    if (!integration || !(integration.oauthEnabled || integration.patEnabled)) {
      throw new ContextError('no_integration', `This runner has no Bitbucket integration yet. Ask an admin of your organization to add one in Settings › Runners.`);
    }
    let token: StoredToken;
    try {
      token = await deps.tokens.getToken(userId, integration);
    } catch (err) {
      if (err instanceof TokenUnavailableError) throw new ContextError(err.code, err.message);
      throw err;
    }
    const endpoints = endpointsForHost(deps.config, integration.host);

    // One retry after a 401: the token may have expired or been rotated on Bitbucket's side.
    async function call<T>(fn: (api: ReturnType<typeof createBitbucketApi>) => Promise<T>): Promise<T> {
      try {
        return await fn(createBitbucketApi(endpoints, token.accessToken, restAuthorizationFor(token)));
      } catch (err) {
        if (!(err instanceof ProviderApiError) || err.status !== 401) throw err;
        try {
          token = await deps.tokens.refreshAfterRejection(token, integration!);
        } catch (refreshErr) {
          if (refreshErr instanceof TokenUnavailableError) throw new ContextError(refreshErr.code, refreshErr.message);
          throw refreshErr;
        }
        return fn(createBitbucketApi(endpoints, token.accessToken, restAuthorizationFor(token)));
      }
    }

    try {
      return { context: await resolve(ctx, call, token, endpoints), token };
    } catch (err) {
      if (err instanceof ContextError) throw err;
      if (err instanceof CloneRefusal) throw new ContextError('not_a_repository', err.message);
      if (err instanceof ProviderApiError) {
        if (err.code === 'provider_unreachable') throw new ContextError('provider_unreachable', err.message);
        if (err.status === 401 || err.status === 403) throw new ContextError('needs_reauthorization', `Bitbucket refused access: ${err.message} Connect again.`);
        throw new ContextError('provider_error', err.message);
      }
      throw err;
    }
  };
}

type Call = <T>(fn: (api: ReturnType<typeof createBitbucketApi>) => Promise<T>) => Promise<T>;

/** Atlassian's schema makes every field optional; one the runner needs and does not get is a provider error. */
function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null || value === '') throw new ProviderApiError(502, 'provider_error', `Bitbucket's answer had no ${what}. Try again later.`);
  return value;
}

async function resolve(ctx: BitbucketContext, call: Call, token: StoredToken, endpoints: ProviderEndpoints): Promise<ParsedContext> {
  const full = `${ctx.owner}/${ctx.repo}`;
  // Built from the runner's own endpoints (as createWorkspace builds it again), not taken from the
  // API's `links.clone`: the same URL, without the user name Bitbucket puts in it.
  const cloneUrl = buildCloneUrl(endpoints, ctx.owner, ctx.repo);
  const repo = await call((api) => api.repository(ctx.owner, ctx.repo)).catch((err) => {
    if (err instanceof ProviderApiError && err.status === 404) {
      throw new ContextError('repository_not_found', `Bitbucket says ${full} does not exist, or your account (${token.accountName}) cannot see it. Check the URL, or ask the repository's owner for access.`);
    }
    throw err;
  });
  const author = { name: token.accountName, email: token.email };
  const base = { host: ctx.host, owner: ctx.owner, repo: ctx.repo, cloneUrl, author };

  const findBranch = async (name: string) => {
    const branch = await call((api) => api.branch(ctx.owner, ctx.repo, name)).catch((err) => {
      if (err instanceof ProviderApiError && err.status === 404) return undefined;
      throw err;
    });
    return branch && { name: required(branch.name, 'branch name'), hash: required(branch.target?.hash, 'branch commit') };
  };

  if (ctx.kind === 'pullRequest') {
    const pr = await call((api) => api.pullRequest(ctx.owner, ctx.repo, ctx.pullRequestId!)).catch((err) => {
      if (err instanceof ProviderApiError && err.status === 404) throw new ContextError('ref_not_found', `Pull request #${ctx.pullRequestId} was not found in ${full}.`);
      throw err;
    });
    const sourceBranch = required(pr.source?.branch?.name, 'pull request source branch');
    const branch = await findBranch(sourceBranch);
    return {
      ...base,
      kind: 'pullRequest',
      ref: sourceBranch,
      refType: 'branch',
      // The pull request names an abbreviated hash; the branch head has the full one.
      commit: branch?.hash ?? required(pr.source?.commit?.hash, 'pull request source commit'),
      pullRequest: {
        id: required(pr.id, 'pull request id'),
        title: pr.title ?? '',
        sourceBranch,
        targetBranch: required(pr.destination?.branch?.name, 'pull request destination branch'),
      },
    };
  }
  if (ctx.kind === 'commit') {
    const commit = await call((api) => api.commit(ctx.owner, ctx.repo, ctx.commit!)).catch((err) => {
      if (err instanceof ProviderApiError && err.status === 404) throw new ContextError('ref_not_found', `Commit ${ctx.commit} was not found in ${full}.`);
      throw err;
    });
    const hash = required(commit.hash, 'commit hash');
    return { ...base, kind: 'commit', ref: hash, refType: 'commit', commit: hash, pullRequest: null };
  }
  if (ctx.kind === 'branch') {
    // `/src/feature/login/` is ambiguous: try the longest branch name first, as Bitbucket does.
    const segments = ctx.path ? ctx.path.split('/').filter(Boolean) : [];
    for (let n = segments.length; n >= 0; n--) {
      const name = [ctx.branch!, ...segments.slice(0, n)].join('/');
      const branch = await findBranch(name);
      if (branch) return { ...base, kind: 'branch', ref: branch.name, refType: 'branch', commit: branch.hash, pullRequest: null };
    }
    throw new ContextError('ref_not_found', `Branch ${ctx.branch} was not found in ${full}.`);
  }
  const main = repo.mainbranch?.name ?? 'main';
  const branch = await findBranch(main);
  if (!branch) throw new ContextError('ref_not_found', `${full} has no main branch yet. Push a commit first.`);
  return { ...base, kind: 'repository', ref: main, refType: 'branch', commit: branch.hash, pullRequest: null };
}
