import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { CreateRunnerRequest } from '@runner-console/contracts';
import { apiClient } from '../../../lib/api-client.ts';
import { createIntentKeys } from '../../../lib/intent-keys.ts';
import { shareInFlight } from '../../../lib/share-in-flight.ts';
import { upsertRunner } from './runner-cache.ts';

/**
 * Safe to click twice: a repeat while the first runs joins it, and the same name and URL carry the
 * same Idempotency-Key for as long as the form is open, so the BFF answers a repeat with the first
 * runner and its one-time token.
 */
export function useCreateRunner() {
  const queryClient = useQueryClient();
  const [create] = useState(() => {
    const intents = createIntentKeys();
    return shareInFlight((body: CreateRunnerRequest) => apiClient.call('createRunner', { body, idempotencyKey: intents.keyFor(body) }));
  });
  return useMutation({
    mutationFn: create,
    // The answer holds the whole new runner: no refetch needed, the list shows it at once.
    onSuccess: ({ runner }) => upsertRunner(queryClient, runner),
  });
}
