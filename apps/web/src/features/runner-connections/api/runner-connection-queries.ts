import { queryOptions } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client.ts';

export const runnerConnectionQueries = {
  list: (runnerId: string) =>
    queryOptions({
      queryKey: ['runner-connections', runnerId, 'list'] as const,
      queryFn: ({ signal }) => apiClient.call('listRunnerConnections', { params: { runnerId }, signal }),
      // Developers connect and disconnect from their own pages: read again on each visit.
      staleTime: 0,
      // An offline runner is a state to show, not a failure to retry into.
      retry: false,
    }),
};
