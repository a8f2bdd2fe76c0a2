import { useQueryClient } from '@tanstack/react-query';
import { EnvironmentChangedEvent, EnvironmentDeletedEvent } from '@runner-console/contracts';
import { useEffect } from 'react';
import { serverEvents } from '../../../lib/server-events.ts';
import { removeEnvironment, upsertEnvironment } from './environment-cache.ts';
import { environmentQueries } from './environment-queries.ts';

/** Keeps cached environments current from `environment.changed` events. Mount once, while signed in. */
export function useEnvironmentLiveUpdates() {
  const queryClient = useQueryClient();
  useEffect(() => {
    const unsubscribe = serverEvents.subscribe('environment.changed', (data) => {
      const event = EnvironmentChangedEvent.safeParse(data);
      if (event.success) upsertEnvironment(queryClient, event.data.environment);
    });
    const offDeleted = serverEvents.subscribe('environment.deleted', (data) => {
      const event = EnvironmentDeletedEvent.safeParse(data);
      if (event.success) removeEnvironment(queryClient, event.data.environmentId);
    });
    // Phases that changed while the connection was down never arrive as events.
    const offReconnect = serverEvents.onReconnect(() => {
      void queryClient.invalidateQueries({ queryKey: environmentQueries.all() });
    });
    return () => {
      unsubscribe();
      offDeleted();
      offReconnect();
    };
  }, [queryClient]);
}
