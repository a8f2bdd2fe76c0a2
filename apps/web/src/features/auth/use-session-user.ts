import { useQuery } from '@tanstack/react-query';
import type { SessionUser } from '@runner-console/contracts';
import { authQueries } from './api/auth-queries.ts';

/** The signed-in user, or null for the moment between signing out and leaving the page. */
export function useSessionUser(): SessionUser | null {
  const { data } = useQuery(authQueries.session());
  return data?.user ?? null;
}
