/**
 * Offboarding a removed member beyond the BFF's own data (issue 27, item 5). Called after the
 * member's account and sessions are gone. Deliberately empty here: the runner-connections work
 * fills it in (every runner erases the member's provider tokens and revokes them at the provider
 * where it can). It must not throw for a runner that is offline: the removal has already happened.
 */
export type OnMemberRemoved = (orgId: string, userId: string) => Promise<void>;

export const onMemberRemoved: OnMemberRemoved = async (_orgId, _userId) => {
  // No-op until runner offboarding exists.
};
