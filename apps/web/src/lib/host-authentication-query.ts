import { queryOptions } from '@tanstack/react-query';
import { apiClient, isApiRequestError } from './api-client.ts';

/**
 * Is the signed-in user connected to `host` on this runner (CheckAuthenticationForHost)? Shared:
 * Connect shows and changes it, New environment only enables Create when it says yes.
 */
export const hostAuthenticationQueries = {
  all: () => ['host-authentication'] as const,
  check: (runnerId: string, host: string) =>
    queryOptions({
      queryKey: [...hostAuthenticationQueries.all(), runnerId, host] as const,
      queryFn: ({ signal }) =>
        apiClient.call('checkAuthentication', { params: { runnerId }, body: { host }, signal }),
      // A connection can change in another tab or on the runner (a revoked grant): always ask again.
      staleTime: 0,
      // An offline runner will not come back within the retry delays: say so at once.
      retry: (failureCount, error) =>
        !(isApiRequestError(error) && (error.status < 500 || error.code === 'runner_offline')) &&
        failureCount < 2,
    }),
};
