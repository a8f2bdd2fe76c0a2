import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { LoadingStatus } from '../../../components/ui/loading-status.tsx';
import { authQueries } from '../api/auth-queries.ts';
import { signInPathFor } from '../safe-next-path.ts';

/** Renders its children for a signed-in user; anyone else goes to /sign-in and comes back after. */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useQuery(authQueries.session());
  const location = useLocation();

  if (session.data === undefined) {
    if (session.isError) {
      return (
        <main className="centered-page" id="main">
          <ErrorPanel
            title="Runner Console could not start"
            message={session.error.message}
            onRetry={() => void session.refetch()}
            retrying={session.isFetching}
          />
        </main>
      );
    }
    return (
      <main className="centered-page" id="main">
        <LoadingStatus>Loading Runner Console…</LoadingStatus>
      </main>
    );
  }

  if (!session.data.user) return <Navigate to={signInPathFor(location)} replace />;
  return children;
}
