import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { GitAuthentication } from '@runner-console/contracts';
import { useState } from 'react';
import { apiClient, goneIsDone } from '../../../lib/api-client.ts';
import { shareInFlight } from '../../../lib/share-in-flight.ts';
import { hostAuthenticationQueries } from '../../../lib/host-authentication-query.ts';
import { gitAuthenticationQueries } from './git-authentication-queries.ts';

/**
 * Disconnect: the runner deletes the token (and revokes it at the provider where the provider can). Safe to
 * click twice: a repeat joins the running request, and a connection already gone counts as done.
 */
export function useDisconnectGitAuthentication() {
  const queryClient = useQueryClient();
  const [disconnect] = useState(() =>
    shareInFlight(
      (authentication: GitAuthentication) =>
        goneIsDone(apiClient.call('deleteGitAuthentication', { params: { runnerId: authentication.runnerId, tokenId: authentication.id } })),
      (authentication) => `${authentication.runnerId}/${authentication.id}`,
    ),
  );
  return useMutation({
    mutationFn: disconnect,
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
