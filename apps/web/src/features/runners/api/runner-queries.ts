import { queryOptions } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client.ts';
import { runnerListQuery } from '../../../lib/runner-list-query.ts';

export const runnerQueries = {
  /** Prefix of every runner query, for invalidating them all. */
  all: () => ['runners'] as const,
  /** Shared with other features through lib, so the key stays `['runners', 'list']` everywhere. */
  list: runnerListQuery,
  detail: (runnerId: string) =>
    queryOptions({
      queryKey: [...runnerQueries.all(), 'detail', runnerId] as const,
      queryFn: ({ signal }) => apiClient.call('getRunner', { params: { runnerId }, signal }),
    }),
};
