import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ConnectApiTokenResponse, SupportsPat } from '@runner-console/contracts';
import { apiClient } from '../../../lib/api-client.ts';
import { hostAuthenticationQueries } from '../../../lib/host-authentication-query.ts';
import { loadOnDemand } from '../../../lib/load-on-demand.ts';
import { createIntentKeys } from '../../../lib/intent-keys.ts';
import { shareInFlight } from '../../../lib/share-in-flight.ts';

// jose is needed only when the token is sealed: fetched while the form is open.
export const tokenSealingCode = loadOnDemand(() => import('../../../lib/seal-client-secret.ts'));

/** `email` and `expiresOn` only where the provider's token form asks for them (null otherwise). */
export type ConnectApiTokenInput = { email: string | null; token: string; expiresOn: string | null };

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
  // Safe to submit twice: the same input joins the running request, and carries the same
  // Idempotency-Key and the same sealed token when sent again (a lost answer). Both live in this
  // form's memory only, like the token field itself.
  const [connect] = useState(() => {
    const intents = createIntentKeys();
    const sealed = new Map<string, string>();
    return shareInFlight(async (input: ConnectApiTokenInput, target: { runnerId: string; host: string; supportsPat: SupportsPat }): Promise<ConnectApiTokenResponse> => {
      const { supportsPat: pat } = target;
      if (!pat.publicKey) throw new TokenSealError('The runner has not registered its key yet. Try again when it is active.');
      const idempotencyKey = intents.keyFor({ ...input, ...target, supportsPat: null, kid: pat.publicKey.kid });
      let tokenEnvelope = sealed.get(idempotencyKey);
      if (!tokenEnvelope) {
        const sealer = await tokenSealingCode.load();
        try {
          tokenEnvelope = await sealer.sealClientSecret({ secret: input.token, publicKey: pat.publicKey, runnerId: target.runnerId, host: target.host, userId: pat.userId });
        } catch (error) {
          throw new TokenSealError(
            error instanceof sealer.SealClientSecretError ? error.message : 'The token could not be encrypted in this browser. Reload the page and try again.',
          );
        }
        sealed.set(idempotencyKey, tokenEnvelope);
      }
      const connected = await apiClient.call('connectApiToken', { params: { runnerId: target.runnerId }, body: { host: target.host, tokenEnvelope, ...(input.email === null ? {} : { email: input.email }), ...(input.expiresOn === null ? {} : { expiresOn: input.expiresOn }) }, idempotencyKey });
      // Done: the same token entered again later (after a Disconnect) is a new connection.
      intents.forget();
      sealed.clear();
      return connected;
    }, (input, target) => JSON.stringify([input, target.runnerId, target.host]));
  });
  return useMutation({
    mutationFn: (input: ConnectApiTokenInput) => connect(input, { runnerId, host, supportsPat }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: hostAuthenticationQueries.check(runnerId, host).queryKey }),
  });
}
