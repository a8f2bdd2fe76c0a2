import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client.ts';
import { markSignedOut } from './auth-queries.ts';

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiClient.call('signOut'),
    onSuccess: () => markSignedOut(queryClient),
  });
}
