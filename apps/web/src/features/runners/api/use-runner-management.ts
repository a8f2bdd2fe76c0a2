import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { DeleteRunnerResponse, UpdateRunnerRequest } from '@runner-console/contracts';
import { apiClient, goneIsDone } from '../../../lib/api-client.ts';
import { createIntentKeys } from '../../../lib/intent-keys.ts';
import { shareInFlight } from '../../../lib/share-in-flight.ts';
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

/**
 * A new token: the answer (token and command) is shown once and lives only in this mutation. Safe to
 * click twice: a repeat joins the running request, and one Idempotency-Key stands for one opening of
 * the confirmation (`newIntent` when it opens again), so a repeat gets the same token, not a third.
 */
export function useNewRunnerToken(runnerId: string) {
  const queryClient = useQueryClient();
  const [intents] = useState(() => createIntentKeys());
  const [issue] = useState(() => shareInFlight(() => apiClient.call('newRunnerToken', { params: { runnerId }, idempotencyKey: intents.keyFor(runnerId) })));
  const mutation = useMutation({
    mutationKey: ['runners', 'new-token', runnerId],
    mutationFn: issue,
    onSuccess: ({ runner }) => upsertRunner(queryClient, runner),
  });
  return { ...mutation, newIntent: intents.forget };
}

/**
 * Safe to click twice: a repeat joins the running delete (one request, one answer, one toast). A
 * runner already gone (deleted in another tab, or by another admin) counts as deleted.
 */
export function useDeleteRunner(runnerId: string) {
  const queryClient = useQueryClient();
  const [remove] = useState(() => shareInFlight((): Promise<DeleteRunnerResponse | null> => goneIsDone(apiClient.call('deleteRunner', { params: { runnerId } }))));
  return useMutation({
    mutationKey: ['runners', 'delete', runnerId],
    mutationFn: remove,
    onSuccess: () => removeRunner(queryClient, runnerId),
  });
}
