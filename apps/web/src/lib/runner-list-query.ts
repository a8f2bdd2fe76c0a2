import { queryOptions } from '@tanstack/react-query';
import { allPages, PAGE_LIMIT } from './all-pages.ts';
import { apiClient } from './api-client.ts';

/**
 * The org's runners, every page of them. Shared because more than one feature lists them
 * (Settings › Runners, the runner picker of New environment); one factory keeps the key and fetcher
 * defined once.
 */
export function runnerListQuery() {
  return queryOptions({
    queryKey: ['runners', 'list'] as const,
    queryFn: ({ signal }) =>
      allPages('runners', (cursor) =>
        apiClient.call('listRunners', { query: { limit: String(PAGE_LIMIT), cursor }, signal }),
      ),
  });
}
