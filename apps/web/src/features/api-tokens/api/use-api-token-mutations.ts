import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ConsoleApiToken, CreateConsoleApiTokenRequest } from '@runner-console/contracts';
import { apiClient, goneIsDone } from '../../../lib/api-client.ts';
import { createIntentKeys } from '../../../lib/intent-keys.ts';
import { shareInFlight } from '../../../lib/share-in-flight.ts';
import { apiTokenQueries } from './api-token-queries.ts';

/**
 * Safe to click twice: a repeat joins the request in flight, and the same input carries the same
 * Idempotency-Key while the dialog is open, so the BFF answers it with the first token.
 */
export function useCreateApiToken() {
  const queryClient = useQueryClient();
  const [create] = useState(() => {
    const intents = createIntentKeys();
    return shareInFlight((body: CreateConsoleApiTokenRequest) =>
      apiClient.call('createConsoleApiToken', { body, idempotencyKey: intents.keyFor(body) }),
    );
  });
  return useMutation({
    mutationFn: create,
    onSuccess: ({ token }) =>
      queryClient.setQueryData(apiTokenQueries.list().queryKey, (list) =>
        list ? { tokens: [token, ...list.tokens.filter((t) => t.id !== token.id)] } : list,
      ),
  });
}

/** Revoke: safe twice (the BFF answers 204 again, and a token already gone counts as done). */
export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  const [revoke] = useState(() =>
    shareInFlight(
      (token: ConsoleApiToken) => goneIsDone(apiClient.call('revokeConsoleApiToken', { params: { consoleApiTokenId: token.id } })),
      (token) => token.id,
    ),
  );
  return useMutation({
    mutationFn: revoke,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: apiTokenQueries.list().queryKey }),
  });
}
