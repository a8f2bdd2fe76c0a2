import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RunnerConnection } from '@runner-console/contracts';
import { useState } from 'react';
import { apiClient, goneIsDone } from '../../../lib/api-client.ts';
import { shareInFlight } from '../../../lib/share-in-flight.ts';
import { runnerConnectionQueries } from './runner-connection-queries.ts';

/**
 * Revoke: the runner erases the developer's token and revokes it at the provider where it can.
 * Safe to click twice: a repeat joins the running request, and a connection already gone (another
 * admin, another tab) counts as done (null).
 */
export function useRevokeRunnerConnection(runnerId: string) {
  const queryClient = useQueryClient();
  const [revoke] = useState(() =>
    shareInFlight(
      (connection: RunnerConnection) =>
        goneIsDone(apiClient.call('revokeRunnerConnection', { params: { runnerId, tokenId: connection.id } })),
      (connection) => `${runnerId}/${connection.id}`,
    ),
  );
  return useMutation({
    mutationFn: revoke,
    onSuccess: (_result, connection) => {
      queryClient.setQueryData(runnerConnectionQueries.list(runnerId).queryKey, (list) =>
        list ? { ...list, connections: list.connections.filter((c) => c.id !== connection.id) } : list,
      );
      // The runner's audit log (another feature's query) has a new entry.
      void queryClient.invalidateQueries({ queryKey: ['scm-integrations', runnerId, 'audit-log'] });
    },
  });
}
