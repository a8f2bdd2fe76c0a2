import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ConnectApiTokenResponse, SupportsPat } from '@runner-console/contracts';
import { apiClient } from '../../../lib/api-client.ts';
import { hostAuthenticationQueries } from '../../../lib/host-authentication-query.ts';
import { loadOnDemand } from '../../../lib/load-on-demand.ts';

// jose is needed only when the token is sealed: fetched while the form is open.
export const tokenSealingCode = loadOnDemand(() => import('../../../lib/seal-client-secret.ts'));

export type ConnectApiTokenInput = { email: string; token: string; expiresOn: string };

/** A token that could not be sealed in this browser: shown next to the token field. */
export class TokenSealError extends Error {
  override readonly name = 'TokenSealError';
}

/**
 * Seals the pasted API token in this browser to the runner's key, bound to runner, host and user,
 * and sends only the ciphertext. The plaintext goes nowhere else.
 */
export function useConnectApiToken({ runnerId, host, supportsPat }: { runnerId: string; host: string; supportsPat: SupportsPat }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: ConnectApiTokenInput): Promise<ConnectApiTokenResponse> => {
      if (!supportsPat.publicKey) throw new TokenSealError('The runner has not registered its key yet. Try again when it is active.');
      const sealer = await tokenSealingCode.load();
      let tokenEnvelope: string;
      try {
        tokenEnvelope = await sealer.sealClientSecret({ secret: input.token, publicKey: supportsPat.publicKey, runnerId, host, userId: supportsPat.userId });
      } catch (error) {
        throw new TokenSealError(
          error instanceof sealer.SealClientSecretError ? error.message : 'The token could not be encrypted in this browser. Reload the page and try again.',
        );
      }
      return apiClient.call('connectApiToken', { params: { runnerId }, body: { host, email: input.email, tokenEnvelope, expiresOn: input.expiresOn } });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: hostAuthenticationQueries.check(runnerId, host).queryKey }),
  });
}
