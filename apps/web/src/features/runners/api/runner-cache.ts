import type { QueryClient } from '@tanstack/react-query';
import type { Runner } from '@runner-console/contracts';
import { runnerQueries } from './runner-queries.ts';

/**
 * Puts the newest state of one runner into the cache: its row in the list (added when new) and
 * its detail, if that was loaded. Used by the create mutation and by server events, which may
 * arrive in either order.
 */
export function upsertRunner(queryClient: QueryClient, runner: Runner) {
  queryClient.setQueryData(runnerQueries.list().queryKey, (list) => {
    if (!list) return list;
    const exists = list.runners.some((row) => row.id === runner.id);
    return {
      runners: exists
        ? list.runners.map((row) => (row.id === runner.id ? runner : row))
        : [...list.runners, runner],
    };
  });
  const detailKey = runnerQueries.detail(runner.id).queryKey;
  if (queryClient.getQueryData(detailKey)) queryClient.setQueryData(detailKey, runner);
}

/** The runner as the list has it: shown at once while its own page loads. */
export function runnerFromList(queryClient: QueryClient, runnerId: string): Runner | undefined {
  return queryClient
    .getQueryData(runnerQueries.list().queryKey)
    ?.runners.find((row) => row.id === runnerId);
}

/** The runner was deleted: out of the list, and its own entries dropped. */
export function removeRunner(queryClient: QueryClient, runnerId: string) {
  queryClient.setQueryData(runnerQueries.list().queryKey, (list) =>
    list ? { ...list, runners: list.runners.filter((row) => row.id !== runnerId) } : list,
  );
  queryClient.removeQueries({ queryKey: runnerQueries.detail(runnerId).queryKey });
}
