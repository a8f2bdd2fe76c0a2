import { useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  CreateScmIntegrationRequest,
  UpdateScmIntegrationRequest,
} from '@runner-console/contracts';
import { useState } from 'react';
import { apiClient, goneIsDone } from '../../../lib/api-client.ts';
import { shareInFlight } from '../../../lib/share-in-flight.ts';
import { findIntegration, removeIntegration, upsertIntegration } from './scm-integration-cache.ts';
import { scmIntegrationQueries } from './scm-integration-queries.ts';

// The bodies below carry the sealed secret only (oauthClientSecretEnvelope): the plaintext never
// reaches a mutation, so it is not kept in the mutation cache either.

/** With an Idempotency-Key per intent (the form makes it): a repeat gets the first integration. */
export function useCreateScmIntegration(runnerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CreateScmIntegrationRequest; idempotencyKey: string }) =>
      apiClient.call('createScmIntegration', { params: { runnerId }, body, idempotencyKey }),
    onSuccess: (integration) => {
      upsertIntegration(queryClient, integration);
      void queryClient.invalidateQueries({
        queryKey: scmIntegrationQueries.auditLog(runnerId).queryKey,
      });
    },
  });
}

export function useUpdateScmIntegration(runnerId: string, integrationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateScmIntegrationRequest) =>
      apiClient.call('updateScmIntegration', { params: { runnerId, integrationId }, body }),
    onSuccess: (integration) => {
      upsertIntegration(queryClient, integration);
      void queryClient.invalidateQueries({
        queryKey: scmIntegrationQueries.auditLog(runnerId).queryKey,
      });
    },
  });
}

/** Safe to click twice: a repeat joins the running delete, and one already gone counts as deleted. */
export function useDeleteScmIntegration(runnerId: string) {
  const queryClient = useQueryClient();
  const [remove] = useState(() =>
    shareInFlight((integrationId: string) => goneIsDone(apiClient.call('deleteScmIntegration', { params: { runnerId, integrationId } }))),
  );
  return useMutation({
    mutationFn: remove,
    onSuccess: (_nothing, integrationId) => {
      removeIntegration(queryClient, runnerId, integrationId);
      void queryClient.invalidateQueries({
        queryKey: scmIntegrationQueries.auditLog(runnerId).queryKey,
      });
    },
  });
}

export const validateMutationKey = (runnerId: string, integrationId: string) =>
  ['scm-integrations', runnerId, 'validate', integrationId] as const;

export function useValidateScmIntegration(runnerId: string, integrationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: validateMutationKey(runnerId, integrationId),
    mutationFn: () =>
      apiClient.call('validateScmIntegration', { params: { runnerId, integrationId } }),
    onSuccess: ({ validation }) => {
      const row = findIntegration(queryClient, runnerId, integrationId);
      if (row) upsertIntegration(queryClient, { ...row, validation });
    },
  });
}
