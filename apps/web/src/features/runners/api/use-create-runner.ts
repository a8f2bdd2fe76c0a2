import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateRunnerRequest } from '@runner-console/contracts';
import { apiClient } from '../../../lib/api-client.ts';
import { upsertRunner } from './runner-cache.ts';

export function useCreateRunner() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateRunnerRequest) => apiClient.call('createRunner', { body }),
    // The answer holds the whole new runner: no refetch needed, the list shows it at once.
    onSuccess: ({ runner }) => upsertRunner(queryClient, runner),
  });
}
