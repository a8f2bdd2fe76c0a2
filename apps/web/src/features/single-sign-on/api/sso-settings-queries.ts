import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { SaveSsoSettingsRequest } from '@runner-console/contracts';
import { useState } from 'react';
import { apiClient } from '../../../lib/api-client.ts';
import { shareInFlight } from '../../../lib/share-in-flight.ts';

export const ssoSettingsQueries = {
  detail: () =>
    queryOptions({
      queryKey: ['single-sign-on', 'settings'] as const,
      queryFn: ({ signal }) => apiClient.call('getSsoSettings', { signal }),
    }),
};

/** Save is a PUT of the whole settings: a repeat (a double click) sets the same values again. */
export function useSaveSsoSettings() {
  const queryClient = useQueryClient();
  const [save] = useState(() => shareInFlight((body: SaveSsoSettingsRequest) => apiClient.call('saveSsoSettings', { body })));
  return useMutation({
    mutationFn: save,
    onSuccess: (settings) => {
      queryClient.setQueryData(ssoSettingsQueries.detail().queryKey, settings);
      void queryClient.invalidateQueries({ queryKey: ['sign-in-options'] });
    },
  });
}

/** Turning off twice answers 204 both times. */
export function useDeleteSsoSettings() {
  const queryClient = useQueryClient();
  const [remove] = useState(() => shareInFlight(() => apiClient.call('deleteSsoSettings', {})));
  return useMutation({
    mutationFn: remove,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ssoSettingsQueries.detail().queryKey });
      void queryClient.invalidateQueries({ queryKey: ['sign-in-options'] });
    },
  });
}
