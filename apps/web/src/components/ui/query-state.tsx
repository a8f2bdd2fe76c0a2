import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { isApiRequestError } from '../../lib/api-client.ts';
import { ErrorPanel } from './error-panel.tsx';
import { LoadingStatus } from './loading-status.tsx';

/**
 * What a page shows for a query that has no data yet: progress while it loads, or the error with
 * a retry. Once there is data (even with a failed refetch) it shows nothing, and the page its data.
 * A 404 offers no Retry (asking again finds nothing either): `notFound` gives the next step instead.
 */
export function QueryState({
  query,
  loading,
  errorTitle,
  notFound,
}: {
  query: UseQueryResult<unknown>;
  loading: string;
  errorTitle: string;
  /** For a 404: its title and where to go instead. */
  notFound?: { title: string; action: ReactNode } | undefined;
}) {
  if (query.isPending) return <LoadingStatus>{loading}</LoadingStatus>;
  if (query.isError && query.data === undefined) {
    if (isApiRequestError(query.error) && query.error.status === 404) {
      return (
        <ErrorPanel title={notFound?.title ?? errorTitle} message={query.error.message}>
          {notFound?.action}
        </ErrorPanel>
      );
    }
    return <ErrorPanel title={errorTitle} message={query.error.message} onRetry={() => void query.refetch()} retrying={query.isFetching} />;
  }
  return null;
}
