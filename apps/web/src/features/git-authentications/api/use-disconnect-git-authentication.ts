import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { GitAuthentication } from '@runner-console/contracts';
import { apiClient } from '../../../lib/api-client.ts';
import { hostAuthenticationQueries } from '../../../lib/host-authentication-query.ts';
import { gitAuthenticationQueries } from './git-authentication-queries.ts';

/** Disconnect: the runner deletes the token. Bitbucket itself has no endpoint to revoke it. */
export function useDisconnectGitAuthentication() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (authentication: GitAuthentication) =>
      apiClient.call('deleteGitAuthentication', {
        params: { runnerId: authentication.runnerId, tokenId: authentication.id },
      }),
    onSuccess: (_result, authentication) => {
      queryClient.setQueryData(gitAuthenticationQueries.list().queryKey, (list) =>
        list
          ? {
              ...list,
              authentications: list.authentications.filter((a) => a.id !== authentication.id),
            }
          : list,
      );
      void queryClient.invalidateQueries({
        queryKey: hostAuthenticationQueries.check(authentication.runnerId, authentication.host)
          .queryKey,
      });
    },
  });
}
