import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateInvitationRequest, MemberList, Role } from '@runner-console/contracts';
import { apiClient, goneIsDone } from '../../../lib/api-client.ts';

export const memberQueries = {
  all: () => ['members'] as const,
  list: () =>
    queryOptions({
      queryKey: [...memberQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => apiClient.call('listMembers', { signal }),
    }),
};

function useInvalidateMembers() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: memberQueries.all() });
}

/** One Idempotency-Key per opened invite form and input: a double click makes one invitation. */
export function useCreateInvitation() {
  const invalidate = useInvalidateMembers();
  return useMutation({
    mutationFn: ({
      body,
      idempotencyKey,
    }: {
      body: CreateInvitationRequest;
      idempotencyKey: string;
    }) => apiClient.call('createInvitation', { body, idempotencyKey }),
    onSuccess: () => void invalidate(),
  });
}

export function useRevokeInvitation() {
  const invalidate = useInvalidateMembers();
  return useMutation({
    mutationFn: (invitationId: string) =>
      goneIsDone(apiClient.call('revokeInvitation', { params: { invitationId } })),
    onSettled: () => void invalidate(),
  });
}

export function useChangeRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) =>
      apiClient.call('updateMember', { params: { userId }, body: { role } }),
    onSuccess: (member) => {
      queryClient.setQueryData(memberQueries.list().queryKey, (list: MemberList | undefined) =>
        list
          ? { ...list, members: list.members.map((m) => (m.id === member.id ? member : m)) }
          : list,
      );
    },
  });
}

export function useRemoveMember() {
  const invalidate = useInvalidateMembers();
  return useMutation({
    // Already removed (a second click, another admin): what was asked for is done.
    mutationFn: (userId: string) =>
      goneIsDone(apiClient.call('removeMember', { params: { userId } })),
    onSettled: () => void invalidate(),
  });
}

export function useCreatePasswordReset() {
  return useMutation({
    mutationFn: ({ userId, idempotencyKey }: { userId: string; idempotencyKey: string }) =>
      apiClient.call('createPasswordReset', { params: { userId }, idempotencyKey }),
  });
}
