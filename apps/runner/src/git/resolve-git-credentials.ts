import type { RunnerConfig } from '../config.ts';
import type { IntegrationRegistry } from '../integrations/integration-registry.ts';
import { ProviderApiError } from '../providers/provider-adapter.ts';
import { endpointsFor } from '../providers/provider-endpoints.ts';
import { adapterFor } from '../providers/provider-registry.ts';
import { TokenUnavailableError, type AccessTokenProvider } from '../tokens/access-token-provider.ts';
import type { StoredToken } from '../tokens/token-store.ts';
import { gitRemoteOf } from './clone-target.ts';
import type { EnvironmentCredentialRecord } from './environment-credentials.ts';
import { GitCredentialRefusal, type GitCredentials } from './git-credential-server.ts';

/**
 * "The git credentials for this environment": the current access token of the user who created it,
 * for the git remote of the runner's own endpoints for its host only,
 * with the provider's git user name for its kind (the adapter's gitUsername).
 *
 * The token is refreshed when it has expired, and checked with the provider first (probeToken):
 * git cannot retry with new credentials after a 401, so a token the provider no longer takes
 * although its expiry is still ahead (a clock ahead of ours, a forced expiry) is refreshed here,
 * before git uses it.
 */
export function createGitCredentialResolver(deps: { config: RunnerConfig; registry: IntegrationRegistry; tokens: AccessTokenProvider }) {
  return async function credentialsFor(record: EnvironmentCredentialRecord): Promise<GitCredentials> {
    const integration = deps.registry.get(record.integrationId) ?? deps.registry.findByHost(record.host);
    if (!integration || !(integration.oauthEnabled || integration.patEnabled)) {
      throw new GitCredentialRefusal(409, `This runner no longer has an integration for ${record.host}, so git cannot push or fetch. Ask an admin of your organization to add it again.`);
    }
    const adapter = adapterFor(integration.provider);
    const endpoints = endpointsFor(deps.config, integration);
    // The token goes only where this runner's own configuration says the host's git lives, over the
    // same protocol; an environment recorded with another remote (a clone from before that rule, or
    // a changed configuration) gets nothing.
    const remote = gitRemoteOf(endpoints);
    if (record.gitProtocol !== remote.protocol || record.gitHost !== remote.host) {
      throw new GitCredentialRefusal(409, `This environment was cloned from an address this runner does not use for ${integration.host}, so it gives it no credentials. Create the environment again.`);
    }
    let token: StoredToken;
    try {
      token = await deps.tokens.getToken(record.userId, integration);
      token = await checkedWithProvider(token);
    } catch (err) {
      if (!(err instanceof TokenUnavailableError)) throw err;
      if (err.code === 'not_connected') {
        throw new GitCredentialRefusal(403, `Your ${adapter.name} account is no longer connected on this runner (it was disconnected), so git cannot push or fetch as you. Connect ${adapter.name} again in Runner Console, then retry.`);
      }
      if (err.code === 'needs_reauthorization') throw new GitCredentialRefusal(403, `${err.message.replace(/ ?Connect again\.?$/, '')} Connect ${adapter.name} again in Runner Console, then retry.`.trim());
      throw new GitCredentialRefusal(502, err.message);
    }
    return { username: adapter.gitUsername(token), password: token.accessToken };

    async function checkedWithProvider(current: StoredToken): Promise<StoredToken> {
      try {
        await adapter.probeToken({ endpoints, authorization: adapter.restAuthorization(current), fetch });
        return current;
      } catch (err) {
        if (err instanceof ProviderApiError && err.status === 401) return deps.tokens.refreshAfterRejection(current, integration!);
        // The API is down or refuses for another reason: git over HTTPS may still take the token.
        return current;
      }
    }
  };
}
