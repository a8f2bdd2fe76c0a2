import type { QueryClient } from '@tanstack/react-query';
import type { ScmIntegration } from '@runner-console/contracts';
import { newerIntegration } from './integration-freshness.ts';
import { scmIntegrationQueries } from './scm-integration-queries.ts';

/**
 * Puts the newest state of one integration into its runner's list (added when new). Server events
 * carry the members' view, without the client ID: a known row keeps the client ID it has.
 */
export function upsertIntegration(queryClient: QueryClient, integration: ScmIntegration) {
  queryClient.setQueryData(scmIntegrationQueries.list(integration.runnerId).queryKey, (list) => {
    if (!list) return list;
    const existing = list.integrations.find((row) => row.id === integration.id);
    if (!existing) return { integrations: [...list.integrations, integration] };
    const merged = newerIntegration(existing, integration);
    return {
      integrations: list.integrations.map((row) => (row.id === integration.id ? merged : row)),
    };
  });
}

export function removeIntegration(
  queryClient: QueryClient,
  runnerId: string,
  integrationId: string,
) {
  queryClient.setQueryData(scmIntegrationQueries.list(runnerId).queryKey, (list) =>
    list ? { integrations: list.integrations.filter((row) => row.id !== integrationId) } : list,
  );
}

export function findIntegration(
  queryClient: QueryClient,
  runnerId: string,
  integrationId: string,
): ScmIntegration | undefined {
  return queryClient
    .getQueryData(scmIntegrationQueries.list(runnerId).queryKey)
    ?.integrations.find((row) => row.id === integrationId);
}
