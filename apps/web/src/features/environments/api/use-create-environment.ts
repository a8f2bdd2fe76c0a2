import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { CreateEnvironmentRequest } from '@runner-console/contracts';
import { apiClient } from '../../../lib/api-client.ts';
import { createIntentKeys } from '../../../lib/intent-keys.ts';
import { shareInFlight } from '../../../lib/share-in-flight.ts';
import { upsertEnvironment } from './environment-cache.ts';

/** Safe to click twice: one environment per URL and runner for as long as the page is open. */
export function useCreateEnvironment() {
  const queryClient = useQueryClient();
  const [create] = useState(() => {
    const intents = createIntentKeys();
    return shareInFlight((body: CreateEnvironmentRequest) => apiClient.call('createEnvironment', { body, idempotencyKey: intents.keyFor(body) }));
  });
  return useMutation({
    mutationFn: create,
    // The answer is the whole environment: the list and its page show it without a refetch.
    onSuccess: (environment) => upsertEnvironment(queryClient, environment),
  });
}
