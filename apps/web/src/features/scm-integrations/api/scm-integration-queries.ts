import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { ScmIntegration } from '@runner-console/contracts';
import { allPages, PAGE_LIMIT } from '../../../lib/all-pages.ts';
import { apiClient } from '../../../lib/api-client.ts';
import { mergeFetchedIntegrations } from './integration-freshness.ts';

export const scmIntegrationQueries = {
  /** Prefix of every query about one runner's integrations, for invalidating them together. */
  forRunner: (runnerId: string) => ['scm-integrations', runnerId] as const,
  list: (runnerId: string) =>
    queryOptions({
      queryKey: [...scmIntegrationQueries.forRunner(runnerId), 'list'] as const,
      queryFn: async ({ client, queryKey, signal }) => {
        const { integrations } = await allPages('integrations', (cursor) =>
          apiClient.call('listScmIntegrations', {
            params: { runnerId },
            query: { limit: String(PAGE_LIMIT), cursor },
            signal,
          }),
        );
        // An event that arrived while this request was under way may be newer than its answer.
        const cached = client.getQueryData<{ integrations: ScmIntegration[] }>(queryKey);
        return { integrations: mergeFetchedIntegrations(cached?.integrations, integrations) };
      },
    }),
  /** Providers, callback URL and the runner's current public key (admins only). */
  configurationSchema: (runnerId: string) =>
    queryOptions({
      queryKey: [...scmIntegrationQueries.forRunner(runnerId), 'configuration-schema'] as const,
      queryFn: ({ signal }) =>
        apiClient.call('getRunnerConfigurationSchema', { params: { runnerId }, signal }),
      // The key and the online state change under us: read them fresh whenever the modal opens.
      staleTime: 0,
    }),
  /** How many developers connected with a personal access token (the warning before turning tokens off). */
  apiTokenConnections: (runnerId: string, integrationId: string) =>
    queryOptions({
      queryKey: [...scmIntegrationQueries.forRunner(runnerId), 'api-token-connections', integrationId] as const,
      queryFn: ({ signal }) =>
        apiClient.call('countApiTokenConnections', { params: { runnerId, integrationId }, signal }),
      staleTime: 0,
    }),
  /** Newest first, a page (50) at a time: older pages load when asked for. */
  auditLog: (runnerId: string) =>
    infiniteQueryOptions({
      queryKey: [...scmIntegrationQueries.forRunner(runnerId), 'audit-log'] as const,
      queryFn: ({ signal, pageParam }) =>
        apiClient.call('getRunnerAuditLog', {
          params: { runnerId },
          query: { cursor: pageParam },
          signal,
        }),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (page) => page.nextCursor ?? undefined,
    }),
};
