import { queryOptions } from '@tanstack/react-query';
import { apiClient } from './api-client.ts';

/**
 * The org's runners. Shared because more than one feature lists them (Settings › Runners, the
 * runner picker of New environment); one factory keeps the key and fetcher defined once.
 */
export function runnerListQuery() {
  return queryOptions({
    queryKey: ['runners', 'list'] as const,
    queryFn: ({ signal }) => apiClient.call('listRunners', { signal }),
  });
}
