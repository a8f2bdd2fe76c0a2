import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { authQueries } from '../features/auth/api/auth-queries.ts';
import { serverEvents } from '../lib/server-events.ts';

/**
 * An EventSource cannot tell a 401 apart from a network error. When the browser gives up on the
 * event stream, ask whether the session still exists; if not, RequireSession leads to sign-in.
 */
export function useSessionCheckOnEventLoss() {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      serverEvents.onConnectionLost(() => {
        void queryClient.invalidateQueries({ queryKey: authQueries.session().queryKey });
      }),
    [queryClient],
  );
}
