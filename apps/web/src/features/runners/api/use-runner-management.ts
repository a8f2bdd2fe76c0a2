import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { UpdateRunnerRequest } from '@runner-console/contracts';
import { apiClient } from '../../../lib/api-client.ts';
import { removeRunner, upsertRunner } from './runner-cache.ts';
import { runnerQueries } from './runner-queries.ts';

export const runnerManagementQueries = {
  /** A localhost URL on a port free on the BFF's machine, for "a runner on this machine". */
  suggestedPublicUrl: () =>
    queryOptions({
      queryKey: [...runnerQueries.all(), 'suggested-public-url'] as const,
      queryFn: ({ signal }) => apiClient.call('suggestRunnerPublicUrl', { signal }),
      staleTime: Infinity,
      gcTime: 0,
    }),
  deletionImpact: (runnerId: string) =>
    queryOptions({
      queryKey: [...runnerQueries.all(), 'deletion-impact', runnerId] as const,
      queryFn: ({ signal }) => apiClient.call('getRunnerDeletionImpact', { params: { runnerId }, signal }),
      gcTime: 0,
    }),
};

export function useUpdateRunner(runnerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: ['runners', 'update', runnerId],
    mutationFn: (body: UpdateRunnerRequest) => apiClient.call('updateRunner', { params: { runnerId }, body }),
    onSuccess: (runner) => upsertRunner(queryClient, runner),
  });
}

/** A new token: the answer (token and command) is shown once and lives only in this mutation. */
export function useNewRunnerToken(runnerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: ['runners', 'new-token', runnerId],
    mutationFn: () => apiClient.call('newRunnerToken', { params: { runnerId } }),
    onSuccess: ({ runner }) => upsertRunner(queryClient, runner),
  });
}

export function useDeleteRunner(runnerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: ['runners', 'delete', runnerId],
    mutationFn: () => apiClient.call('deleteRunner', { params: { runnerId } }),
    onSuccess: () => removeRunner(queryClient, runnerId),
  });
}
