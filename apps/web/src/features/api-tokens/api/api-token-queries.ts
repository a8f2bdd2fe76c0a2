import { queryOptions } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client.ts';

/** API tokens for automation (the BFF's console-api-tokens). */
export const apiTokenQueries = {
  list: () =>
    queryOptions({
      queryKey: ['console-api-tokens', 'list'] as const,
      queryFn: ({ signal }) => apiClient.call('listConsoleApiTokens', { signal }),
      // "Last used" moves while automation runs: ask again on each visit.
      staleTime: 0,
    }),
};
