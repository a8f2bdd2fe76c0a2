import { queryOptions } from '@tanstack/react-query';
import type { Runner } from '@runner-console/contracts';
import { servedHostsOf, type ServedHost } from '@runner-console/scm-providers';
import { allPages, PAGE_LIMIT } from '../../../lib/all-pages.ts';
import { apiClient } from '../../../lib/api-client.ts';

/**
 * The hosts a runner's integrations serve, with the origins its configuration gives for them, so
 * the page reads a pasted link with the right provider's parser as it is typed. Its key sits under
 * the runner's integration queries (['scm-integrations', runnerId]), so a change to them refreshes it.
 */
export function servedHostsQuery(runner: Pick<Runner, 'id' | 'providerSites'>) {
  return queryOptions({
    queryKey: ['scm-integrations', runner.id, 'served-hosts'] as const,
    queryFn: async ({ signal }): Promise<{ hosts: { provider: ServedHost['provider']; host: string }[] }> => {
      const { integrations } = await allPages('integrations', (cursor) =>
        apiClient.call('listScmIntegrations', { params: { runnerId: runner.id }, query: { limit: String(PAGE_LIMIT), cursor }, signal }),
      );
      return { hosts: integrations.filter((i) => i.oauthEnabled || i.patEnabled).map((i) => ({ provider: i.provider, host: i.host })) };
    },
    select: (data) => servedHostsOf({ integrations: data.hosts, sites: runner.providerSites }),
  });
}
