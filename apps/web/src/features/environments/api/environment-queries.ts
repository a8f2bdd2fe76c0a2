import { queryOptions } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client.ts';

export const environmentQueries = {
  /** Prefix of every environment query, for invalidating them all. */
  all: () => ['environments'] as const,
  list: () =>
    queryOptions({
      queryKey: [...environmentQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => apiClient.call('listEnvironments', { signal }),
    }),
  detail: (environmentId: string) =>
    queryOptions({
      queryKey: [...environmentQueries.all(), 'detail', environmentId] as const,
      queryFn: ({ signal }) =>
        apiClient.call('getEnvironment', { params: { environmentId }, signal }),
    }),
};
