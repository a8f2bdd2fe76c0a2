import { useMutation } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client.ts';

/** A round trip over the runner's link. It changes nothing, so it touches no cache entry. */
export function usePingRunner(runnerId: string) {
  return useMutation({
    mutationKey: ['runners', 'ping', runnerId],
    mutationFn: () => apiClient.call('pingRunner', { params: { runnerId } }),
  });
}
