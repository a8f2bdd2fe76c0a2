/**
 * Offboarding a removed member beyond the BFF's own data (issue 27, item 5). Called after the
 * member's account and sessions are gone: every runner of the organization erases the member's
 * provider tokens and revokes them at the provider where it can (the runner-connections service;
 * a runner that is offline gets the erasure when it links again). It must not throw for a runner
 * that is offline: the removal has already happened.
 */
export type OnMemberRemoved = (
  orgId: string,
  userId: string,
  removed: { userEmail: string; actor: { id: string; email: string } },
) => Promise<unknown>;
