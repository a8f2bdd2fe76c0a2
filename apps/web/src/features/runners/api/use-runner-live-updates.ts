import { useQueryClient } from '@tanstack/react-query';
import { RunnerChangedEvent, RunnerDeletedEvent } from '@runner-console/contracts';
import { useEffect } from 'react';
import { serverEvents } from '../../../lib/server-events.ts';
import { removeRunner, upsertRunner } from './runner-cache.ts';
import { runnerQueries } from './runner-queries.ts';

/** Keeps every cached runner current from `runner.changed` server events. Mount once, while signed in. */
export function useRunnerLiveUpdates() {
  const queryClient = useQueryClient();
  useEffect(() => {
    const unsubscribe = serverEvents.subscribe('runner.changed', (data) => {
      const event = RunnerChangedEvent.safeParse(data);
      if (event.success) upsertRunner(queryClient, event.data.runner);
    });
    const offDeleted = serverEvents.subscribe('runner.deleted', (data) => {
      const event = RunnerDeletedEvent.safeParse(data);
      if (event.success) removeRunner(queryClient, event.data.runnerId);
    });
    // Changes made while the connection was down never arrive as events.
    const offReconnect = serverEvents.onReconnect(() => {
      void queryClient.invalidateQueries({ queryKey: runnerQueries.all() });
    });
    return () => {
      unsubscribe();
      offDeleted();
      offReconnect();
    };
  }, [queryClient]);
}
