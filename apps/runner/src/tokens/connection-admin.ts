import type { ProviderRevocation, RunnerConnectionSummary } from '@runner-console/contracts';
import type { Logger } from '../logger.ts';
import { reauthorizeReasonOf } from './connect-api-token.ts';
import type { RevokeAtProvider } from './revoke-at-provider.ts';
import type { StoredToken, TokenStore, TokenSummary } from './token-store.ts';

export class ConnectionNotFoundError extends Error {
  readonly code = 'not_found';
  constructor() {
    super('That connection no longer exists on this runner.');
  }
}

/**
 * What an admin (Runner › Connections) and offboarding do with developers' connections on this
 * runner. Summaries are built from the stored records without decrypting them and name every field
 * they carry, so no token can ride along in an answer to the BFF.
 */
export function createConnectionAdmin(deps: { store: TokenStore; revokeAtProvider: RevokeAtProvider; log: Logger }) {
  const { store, log } = deps;

  function summaryOf(t: TokenSummary): RunnerConnectionSummary {
    return {
      id: t.id,
      userId: t.userId,
      host: t.host,
      integrationId: t.integrationId,
      method: t.kind,
      accountName: t.accountName,
      accountUsername: t.accountUsername,
      scopes: t.scopes,
      expiresAt: t.expiresAt,
      lastUsedAt: t.lastUsedAt,
      connectedAt: t.connectedAt,
      needsReauthorization: reauthorizeReasonOf(t, undefined) !== null,
    };
  }

  /** Erased first, then revoked: a provider that fails or hangs never leaves the token on the runner. */
  async function eraseAndRevoke(token: StoredToken): Promise<ProviderRevocation> {
    store.deleteById(token.id);
    try {
      return await deps.revokeAtProvider(token);
    } catch (err) {
      log.warn({ tokenId: token.id, host: token.host, err: (err as Error).message }, 'revoking a token at its provider failed; it is erased on the runner');
      return 'failed';
    }
  }

  return {
    listConnections(): { connections: RunnerConnectionSummary[] } {
      return { connections: store.listSummaries().map(summaryOf) };
    },

    async revokeConnection(tokenId: string): Promise<{ connection: RunnerConnectionSummary; atProvider: ProviderRevocation }> {
      const token = store.findById(tokenId);
      if (!token) throw new ConnectionNotFoundError();
      const connection = summaryOf(token);
      const atProvider = await eraseAndRevoke(token);
      log.info({ tokenId, userId: token.userId, host: token.host, atProvider }, 'an admin revoked a connection: token erased');
      return { connection, atProvider };
    },

    async eraseUserConnections(userId: string): Promise<{ erased: number; revokedAtProvider: number }> {
      const tokens = store.listByUser(userId);
      const outcomes = await Promise.all(tokens.map(eraseAndRevoke));
      const revokedAtProvider = outcomes.filter((o) => o === 'revoked').length;
      log.info({ userId, erased: tokens.length, revokedAtProvider }, 'a member was removed: erased their tokens');
      return { erased: tokens.length, revokedAtProvider };
    },
  };
}
export type ConnectionAdmin = ReturnType<typeof createConnectionAdmin>;
