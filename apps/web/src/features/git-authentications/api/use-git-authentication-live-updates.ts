import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { serverEvents } from '../../../lib/server-events.ts';
import { gitAuthenticationQueries } from './git-authentication-queries.ts';

/**
 * While the page is open: an admin's change to an integration (removed, OAuth off, a new OAuth app)
 * may have ended connections on that runner, so the list is read again and says so.
 */
export function useGitAuthenticationLiveUpdates() {
  const queryClient = useQueryClient();
  useEffect(() => {
    const refetch = () =>
      void queryClient.invalidateQueries({ queryKey: gitAuthenticationQueries.list().queryKey });
    const unsubscribe = serverEvents.subscribe('integration.changed', refetch);
    const offReconnect = serverEvents.onReconnect(refetch);
    return () => {
      unsubscribe();
      offReconnect();
    };
  }, [queryClient]);
}
