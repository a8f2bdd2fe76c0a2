import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client.ts';
import { upsertRunner } from './runner-cache.ts';

/** The runner makes a new key pair; the new public key lands in this runner's cache entries. */
export function useRotateRunnerKey(runnerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: ['runners', 'rotate-key', runnerId],
    mutationFn: () => apiClient.call('rotateRunnerKey', { params: { runnerId } }),
    onSuccess: (runner) => upsertRunner(queryClient, runner),
  });
}
