import type { ProviderRevocation } from '@runner-console/contracts';
import { getScmProvider } from '@runner-console/scm-providers';
import type { RunnerConfig } from '../config.ts';
import type { IntegrationRegistry } from '../integrations/integration-registry.ts';
import type { Logger } from '../logger.ts';
import { endpointsFor } from '../providers/provider-endpoints.ts';
import { adapterFor } from '../providers/provider-registry.ts';
import type { StoredToken } from './token-store.ts';

/** Revokes a token's grant at its provider, through the provider's adapter (`revoke`). */
export type RevokeAtProvider = (token: StoredToken) => Promise<ProviderRevocation>;

/**
 * The one place a connection is revoked at its provider: a developer's Disconnect, an admin's revoke
 * in Runner › Connections and a removed member's erasure all come here, after the token is erased
 * on the runner. A provider whose catalogue entry names no revocation endpoint (Bitbucket Cloud: its
 * users revoke on their app-authorizations page) answers `not_supported`; so does a personal access
 * token, which only its owner can revoke. `failed` when the provider could not be reached or refused.
 */
export function createRevokeAtProvider(deps: { config: RunnerConfig; registry: IntegrationRegistry; log: Logger }): RevokeAtProvider {
  return async (token) => {
    const integration = deps.registry.get(token.integrationId);
    if (token.kind !== 'oauth' || !integration?.clientId || !getScmProvider(integration.provider).oauth?.revokeEndpoint) return 'not_supported';
    const outcome = await adapterFor(integration.provider).revoke({
      endpoints: endpointsFor(deps.config, integration),
      clientId: integration.clientId,
      clientSecret: await deps.registry.openSecret(integration),
      token,
      fetch,
    });
    deps.log.info({ tokenId: token.id, outcome }, 'revoked at the provider');
    return outcome === 'unsupported' ? 'not_supported' : outcome;
  };
}
