import { queryOptions } from '@tanstack/react-query';
import { allPages, PAGE_LIMIT } from '../../../lib/all-pages.ts';
import { apiClient } from '../../../lib/api-client.ts';

export const environmentQueries = {
  /** Prefix of every environment query, for invalidating them all. */
  all: () => ['environments'] as const,
  list: () =>
    queryOptions({
      queryKey: [...environmentQueries.all(), 'list'] as const,
      // Every page: the list is the user's own environments, and live updates patch this one list.
      queryFn: ({ signal }) =>
        allPages('environments', (cursor) =>
          apiClient.call('listEnvironments', { query: { limit: String(PAGE_LIMIT), cursor }, signal }),
        ),
    }),
  detail: (environmentId: string) =>
    queryOptions({
      queryKey: [...environmentQueries.all(), 'detail', environmentId] as const,
      queryFn: ({ signal }) =>
        apiClient.call('getEnvironment', { params: { environmentId }, signal }),
    }),
};
