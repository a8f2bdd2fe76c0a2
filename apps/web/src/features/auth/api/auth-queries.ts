import { queryOptions } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { apiClient, isApiRequestError } from '../../../lib/api-client.ts';

export const authQueries = {
  /** Who is signed in (user null when nobody is). Also sets the CSRF cookie. */
  session: () =>
    queryOptions({
      queryKey: ['session'] as const,
      queryFn: ({ signal }) => apiClient.call('getSession', { signal }),
      staleTime: 60_000,
    }),
  /** Whether the deployment still needs its first-run set-up: true, or false once set up (404). */
  setupNeeded: () =>
    queryOptions({
      queryKey: ['setup'] as const,
      queryFn: async ({ signal }) => {
        try {
          await apiClient.call('getSetupStatus', { signal });
          return true;
        } catch (error) {
          if (isApiRequestError(error) && error.status === 404) return false;
          throw error;
        }
      },
      staleTime: 60_000,
      retry: false,
    }),
  /** "Sign in with …" buttons: the organizations that set up single sign-on. */
  signInOptions: () =>
    queryOptions({
      queryKey: ['sign-in-options'] as const,
      queryFn: ({ signal }) => apiClient.call('getSignInOptions', { signal }),
      staleTime: 60_000,
    }),
};

/** Records that nobody is signed in; RequireSession then sends the person to /sign-in. */
export function markSignedOut(queryClient: QueryClient) {
  queryClient.setQueryData(authQueries.session().queryKey, { user: null });
}
