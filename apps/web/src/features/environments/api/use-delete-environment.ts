import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { apiClient, goneIsDone } from '../../../lib/api-client.ts';
import { shareInFlight } from '../../../lib/share-in-flight.ts';
import { removeEnvironment } from './environment-cache.ts';

/**
 * Delete an environment; the runner removes its workspace folder first. Safe to click twice: a
 * repeat joins the running delete, and one already gone counts as deleted.
 */
export function useDeleteEnvironment(environmentId: string) {
  const queryClient = useQueryClient();
  const [remove] = useState(() => shareInFlight(() => goneIsDone(apiClient.call('deleteEnvironment', { params: { environmentId } }))));
  return useMutation({
    mutationKey: ['environments', 'delete', environmentId],
    mutationFn: remove,
    onSuccess: () => removeEnvironment(queryClient, environmentId),
  });
}
