import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateEnvironmentRequest } from '@runner-console/contracts';
import { apiClient } from '../../../lib/api-client.ts';
import { upsertEnvironment } from './environment-cache.ts';

export function useCreateEnvironment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateEnvironmentRequest) => apiClient.call('createEnvironment', { body }),
    // The answer is the whole environment: the list and its page show it without a refetch.
    onSuccess: (environment) => upsertEnvironment(queryClient, environment),
  });
}
