import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client.ts';
import { removeEnvironment } from './environment-cache.ts';

/** Delete an environment; the runner removes its workspace folder first. */
export function useDeleteEnvironment(environmentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: ['environments', 'delete', environmentId],
    mutationFn: () => apiClient.call('deleteEnvironment', { params: { environmentId } }),
    onSuccess: () => removeEnvironment(queryClient, environmentId),
  });
}
