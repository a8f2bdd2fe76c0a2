import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { markSignedOut } from '../features/auth/api/auth-queries.ts';
import { isApiRequestError } from '../lib/api-client.ts';

/** A 401 from any call means the session is gone; RequireSession then sends the person to sign in. */
function isSignedOut(error: unknown) {
  return isApiRequestError(error) && error.status === 401;
}

/** Worth another try: the network or the server hiccuped. A 4xx answer will not change by retrying. */
function shouldRetry(failureCount: number, error: unknown) {
  if (
    isApiRequestError(error) &&
    ((error.status >= 400 && error.status < 500) || error.code === 'unexpected_response')
  ) {
    return false;
  }
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        if (isSignedOut(error)) markSignedOut(queryClient);
      },
    }),
    mutationCache: new MutationCache({
      onError: (error) => {
        if (isSignedOut(error)) markSignedOut(queryClient);
      },
    }),
    defaultOptions: {
      queries: {
        // Server events keep runner data fresh; refetching on every mount would only add load.
        staleTime: 30_000,
        retry: shouldRetry,
      },
      mutations: { retry: false },
    },
  });
  return queryClient;
}
