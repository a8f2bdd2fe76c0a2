import { useMutation } from '@tanstack/react-query';
import type { SignInRequest } from '@runner-console/contracts';
import { apiClient } from '../../../lib/api-client.ts';
import { useStartSession } from './use-start-session.ts';

export function useSignIn() {
  const startSession = useStartSession();
  return useMutation({
    mutationFn: (credentials: SignInRequest) => apiClient.call('signIn', { body: credentials }),
    onSuccess: startSession,
  });
}
