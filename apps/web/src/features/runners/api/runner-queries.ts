import { queryOptions } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client.ts';

export const runnerQueries = {
  /** Prefix of every runner query, for invalidating them all. */
  all: () => ['runners'] as const,
  list: () =>
    queryOptions({
      queryKey: [...runnerQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => apiClient.call('listRunners', { signal }),
    }),
  detail: (runnerId: string) =>
    queryOptions({
      queryKey: [...runnerQueries.all(), 'detail', runnerId] as const,
      queryFn: ({ signal }) => apiClient.call('getRunner', { params: { runnerId }, signal }),
    }),
};
