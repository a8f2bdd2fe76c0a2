import { queryOptions } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client.ts';

export const connectFlowQueries = {
  /** One of the user's own Connect flows: read after the same-tab path comes back. */
  detail: (flowId: string) =>
    queryOptions({
      queryKey: ['connect-flows', flowId] as const,
      queryFn: ({ signal }) => apiClient.call('getConnectFlow', { params: { flowId }, signal }),
    }),
};
