import { useQueryClient } from '@tanstack/react-query';
import type { SessionResponse } from '@runner-console/contracts';
import { authQueries } from './auth-queries.ts';

/** A new identity (signed in, set up, joined): nothing cached for whoever was here before may show. */
export function useStartSession() {
  const queryClient = useQueryClient();
  return (session: SessionResponse) => {
    const sessionKey = authQueries.session().queryKey;
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] });
    queryClient.setQueryData(sessionKey, session);
  };
}
