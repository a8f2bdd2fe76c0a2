import type { UseQueryResult } from '@tanstack/react-query';
import { ErrorPanel } from './error-panel.tsx';
import { LoadingStatus } from './loading-status.tsx';

/**
 * What a page shows for a query that has no data yet: progress while it loads, or the error with
 * a retry. Once there is data (even with a failed refetch) it shows nothing, and the page its data.
 */
export function QueryState({ query, loading, errorTitle }: { query: UseQueryResult<unknown>; loading: string; errorTitle: string }) {
  if (query.isPending) return <LoadingStatus>{loading}</LoadingStatus>;
  if (query.isError && query.data === undefined) {
    return <ErrorPanel title={errorTitle} message={query.error.message} onRetry={() => void query.refetch()} retrying={query.isFetching} />;
  }
  return null;
}
