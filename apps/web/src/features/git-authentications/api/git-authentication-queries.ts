import { queryOptions } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client.ts';

export const gitAuthenticationQueries = {
  list: () =>
    queryOptions({
      queryKey: ['git-authentications', 'list'] as const,
      queryFn: ({ signal }) => apiClient.call('listGitAuthentications', { signal }),
      // Connections change from other pages (Connect) and on the runners: ask again on each visit.
      staleTime: 0,
    }),
};
