import { infiniteQueryOptions } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client.ts';

export const auditLogQueries = {
  org: () =>
    infiniteQueryOptions({
      queryKey: ['audit-log', 'org'] as const,
      queryFn: ({ signal, pageParam }) =>
        apiClient.call('getOrgAuditLog', { query: { cursor: pageParam }, signal }),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (page) => page.nextCursor ?? undefined,
    }),
};
