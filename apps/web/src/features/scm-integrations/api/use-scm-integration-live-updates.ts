import { useQueryClient } from '@tanstack/react-query';
import { IntegrationChangedEvent } from '@runner-console/contracts';
import { useEffect } from 'react';
import { serverEvents } from '../../../lib/server-events.ts';
import { findIntegration, removeIntegration, upsertIntegration } from './scm-integration-cache.ts';
import { scmIntegrationQueries } from './scm-integration-queries.ts';

/**
 * Keeps one runner's integrations (and, for admins, its audit log) current from
 * `integration.changed` events: validation results after a save, changes by other admins.
 */
export function useScmIntegrationLiveUpdates(runnerId: string, isAdmin: boolean) {
  const queryClient = useQueryClient();
  useEffect(() => {
    const unsubscribe = serverEvents.subscribe('integration.changed', (data) => {
      const parsed = IntegrationChangedEvent.safeParse(data);
      if (!parsed.success || parsed.data.runnerId !== runnerId) return;
      const { integration, integrationId } = parsed.data;
      if (!integration) {
        removeIntegration(queryClient, runnerId, integrationId);
      } else {
        const known = findIntegration(queryClient, runnerId, integrationId);
        upsertIntegration(queryClient, integration);
        // The event leaves out the client ID. A new row, or an edit made elsewhere, may carry a
        // new one: an admin's list reads it again.
        if (isAdmin && (!known || known.updatedAt !== integration.updatedAt)) {
          void queryClient.invalidateQueries({
            queryKey: scmIntegrationQueries.list(runnerId).queryKey,
          });
        }
      }
      if (isAdmin)
        void queryClient.invalidateQueries({
          queryKey: scmIntegrationQueries.auditLog(runnerId).queryKey,
        });
    });
    // Changes made while the connection was down never arrive as events.
    const offReconnect = serverEvents.onReconnect(() => {
      void queryClient.invalidateQueries({ queryKey: scmIntegrationQueries.forRunner(runnerId) });
    });
    return () => {
      unsubscribe();
      offReconnect();
    };
  }, [queryClient, runnerId, isAdmin]);
}
