import type { QueryClient } from '@tanstack/react-query';
import type { Environment } from '@runner-console/contracts';
import { environmentQueries } from './environment-queries.ts';

/**
 * Puts the newest state of one environment into the cache: its row in the list (newest first,
 * added when new) and its detail. Used by the create mutation and by server events, which may
 * arrive in either order; an older update never overwrites a newer one.
 */
export function upsertEnvironment(queryClient: QueryClient, environment: Environment) {
  queryClient.setQueryData(environmentQueries.list().queryKey, (list) => {
    if (!list) return list;
    const current = list.environments.find((row) => row.id === environment.id);
    if (current && isNewer(current, environment)) return list;
    return {
      environments: current
        ? list.environments.map((row) => (row.id === environment.id ? environment : row))
        : [environment, ...list.environments],
    };
  });
  queryClient.setQueryData(environmentQueries.detail(environment.id).queryKey, (current) =>
    current && isNewer(current, environment) ? current : environment,
  );
}

function isNewer(a: Environment, b: Environment): boolean {
  return Date.parse(a.updatedAt) > Date.parse(b.updatedAt);
}

/** The environment was deleted: out of the list, and its detail dropped. */
export function removeEnvironment(queryClient: QueryClient, environmentId: string) {
  queryClient.setQueryData(environmentQueries.list().queryKey, (list) =>
    list ? { ...list, environments: list.environments.filter((row) => row.id !== environmentId) } : list,
  );
  queryClient.removeQueries({ queryKey: environmentQueries.detail(environmentId).queryKey });
}
