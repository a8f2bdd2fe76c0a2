import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client.ts';
import { upsertRunner } from './runner-cache.ts';

/**
 * Pins the key a refused connection presented (the runner's `pendingKey`), named by the kid the
 * admin confirmed; the runner's new state lands in its cache entries.
 */
export function useAcceptRunnerKey(runnerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: ['runners', 'accept-key', runnerId],
    mutationFn: (kid: string) => apiClient.call('acceptRunnerKey', { params: { runnerId }, body: { kid } }),
    onSuccess: (runner) => upsertRunner(queryClient, runner),
  });
}
