import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { SignInRequest } from '@runner-console/contracts';
import { apiClient } from '../../../lib/api-client.ts';
import { authQueries } from './auth-queries.ts';

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: SignInRequest) => apiClient.call('signIn', { body: credentials }),
    onSuccess: (session) => {
      // A new identity: nothing cached for whoever was here before may show.
      const sessionKey = authQueries.session().queryKey;
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] });
      queryClient.setQueryData(sessionKey, session);
    },
  });
}
