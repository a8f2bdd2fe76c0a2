import type { ParsedContext } from '@runner-console/contracts';
import { getScmProvider, parseContextUrl, servedHostsOf } from '@runner-console/scm-providers';
import type { RunnerConfig } from '../config.ts';
import type { IntegrationRegistry } from '../integrations/integration-registry.ts';
import { TokenUnavailableError, type AccessTokenProvider } from '../tokens/access-token-provider.ts';
import type { StoredToken } from '../tokens/token-store.ts';
import { ProviderApiError } from '../providers/provider-adapter.ts';
import { endpointsFor, providerSitesOf } from '../providers/provider-endpoints.ts';
import { adapterFor } from '../providers/provider-registry.ts';
import { cloneUrlForPath, CloneRefusal } from '../git/clone-target.ts';
import { ContextError } from './context-error.ts';

export { ContextError };

/**
 * ParseContextURL: turn a context URL into what a clone needs, with the user's own token, so a
 * repository the user cannot see stays invisible (providers answer 404). The link is read by the
 * parser of the provider whose host it is on (an integration's host, or an origin the runner's
 * configuration gives for it); the adapter of that integration resolves it.
 */
export function createContextParser(deps: { config: RunnerConfig; registry: IntegrationRegistry; tokens: AccessTokenProvider }) {
  return async function parseContext(userId: string, contextUrl: string): Promise<{ context: ParsedContext; token: StoredToken }> {
    const served = servedHostsOf({ integrations: deps.registry.list(), sites: providerSitesOf(deps.config) });
    const parsed = parseContextUrl(contextUrl, { served });
    // A host no integration serves: say what the parser says ("No integration serves gitlab.com…").
    if (!parsed.ok) throw new ContextError('not_a_repository', parsed.message);
    const ctx = parsed.context;
    const integration = deps.registry.findByHost(ctx.host);
    const name = getScmProvider(ctx.provider).name;
    if (!integration || integration.provider !== ctx.provider || !(integration.oauthEnabled || integration.patEnabled)) {
      throw new ContextError('no_integration', `This runner has no ${name} integration for ${ctx.host} yet. Ask an admin of your organization to add one in Settings › Runners.`);
    }
    const adapter = adapterFor(integration.provider);
    let token: StoredToken;
    try {
      token = await deps.tokens.getToken(userId, integration);
    } catch (err) {
      if (err instanceof TokenUnavailableError) throw new ContextError(err.code, err.message);
      throw err;
    }
    const endpoints = endpointsFor(deps.config, integration);
    const resolve = (current: StoredToken) =>
      adapter.resolveContext({
        call: { endpoints, authorization: adapter.restAuthorization(current), fetch },
        context: ctx,
        accountName: current.accountName,
        // Built from the runner's own endpoints (as createWorkspace builds it again), never from the link.
        cloneUrlFor: (path) => cloneUrlForPath(endpoints, path, adapter.cloneUrl),
      });

    try {
      let resolved;
      try {
        resolved = await resolve(token);
      } catch (err) {
        // One retry after a 401: the token may have expired or been rotated on the provider's side.
        if (!(err instanceof ProviderApiError) || err.status !== 401) throw err;
        try {
          token = await deps.tokens.refreshAfterRejection(token, integration);
        } catch (refreshErr) {
          if (refreshErr instanceof TokenUnavailableError) throw new ContextError(refreshErr.code, refreshErr.message);
          throw refreshErr;
        }
        resolved = await resolve(token);
      }
      // The git author is the token's own account.
      return { context: { ...resolved, author: { name: token.accountName, email: token.email } }, token };
    } catch (err) {
      if (err instanceof ContextError) throw err;
      if (err instanceof CloneRefusal) throw new ContextError('not_a_repository', err.message);
      if (err instanceof ProviderApiError) {
        if (err.code === 'provider_unreachable') throw new ContextError('provider_unreachable', err.message);
        if (err.status === 401 || err.status === 403) throw new ContextError('needs_reauthorization', `${name} refused access: ${err.message} Connect again.`);
        throw new ContextError('provider_error', err.message);
      }
      throw err;
    }
  };
}
