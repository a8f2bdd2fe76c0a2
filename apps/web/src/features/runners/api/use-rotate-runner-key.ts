import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { apiClient } from '../../../lib/api-client.ts';
import { shareInFlight } from '../../../lib/share-in-flight.ts';
import { upsertRunner } from './runner-cache.ts';

/**
 * The runner makes a new key pair; the new public key lands in this runner's cache entries. Safe to
 * click twice: a repeat while the rotation runs joins it (one new key, not two).
 */
export function useRotateRunnerKey(runnerId: string) {
  const queryClient = useQueryClient();
  const [rotate] = useState(() => shareInFlight(() => apiClient.call('rotateRunnerKey', { params: { runnerId } })));
  return useMutation({
    mutationKey: ['runners', 'rotate-key', runnerId],
    mutationFn: rotate,
    onSuccess: (runner) => upsertRunner(queryClient, runner),
  });
}
