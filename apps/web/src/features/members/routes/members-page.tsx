import type { Invitation, Member } from '@runner-console/contracts';
import { useQuery } from '@tanstack/react-query';
import { Button } from '../../../components/ui/button.tsx';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { QueryState } from '../../../components/ui/query-state.tsx';
import { RelativeTime } from '../../../components/ui/relative-time.tsx';
import { formatDateTime } from '../../../lib/format-time.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { memberQueries, useRevokeInvitation } from '../api/member-queries.ts';
import { InviteDialog } from '../components/invite-dialog.tsx';
import { MemberActions } from '../components/member-actions.tsx';
import { roleLabel, signInMethodLabel } from '../member-labels.ts';

/** Settings › Members (admins): who is in the organization, pending invitations, and what to change. */
export function MembersPage({
  currentUserId,
  canManage,
}: {
  currentUserId: string | undefined;
  canManage: boolean;
}) {
  useDocumentTitle('Members');
  const query = useQuery({ ...memberQueries.list(), enabled: canManage });

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <p className="page-header__eyebrow">Settings</p>
          <h1>Members</h1>
          <p className="page-header__lead">
            The people of your organization. Invite someone with a link that works once; change
            their role, reset their password or remove them.
          </p>
        </div>
        {canManage ? <InviteDialog /> : null}
      </header>
      {!canManage ? (
        <EmptyState title="Only admins manage members">
          Ask an admin of your organization.
        </EmptyState>
      ) : (
        <>
          <QueryState
            query={query}
            loading="Loading members…"
            errorTitle="The members could not be loaded"
          />
          {query.data ? (
            <MembersTable members={query.data.members} currentUserId={currentUserId} />
          ) : null}
          {query.data ? <InvitationsSection invitations={query.data.invitations} /> : null}
        </>
      )}
    </div>
  );
}

function MembersTable({
  members,
  currentUserId,
}: {
  members: Member[];
  currentUserId: string | undefined;
}) {
  return (
    <div className="table-wrap">
      <table className="table table--stack">
        <caption className="visually-hidden">Members</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Signs in with</th>
            <th scope="col">Last seen</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr key={member.id}>
              <th scope="row" className="table__name">
                {member.name}
                {member.id === currentUserId ? <span className="muted"> (you)</span> : null}
                <span className="cell-secondary">{member.email}</span>
              </th>
              <td data-label="Role">{roleLabel(member.role)}</td>
              <td data-label="Signs in with">{signInMethodLabel(member.signInMethod)}</td>
              <td data-label="Last seen">
                {member.lastSeenAt ? (
                  <RelativeTime iso={member.lastSeenAt} />
                ) : (
                  <span className="muted">Never</span>
                )}
              </td>
              <td className="table__actions">
                <MemberActions member={member} isYou={member.id === currentUserId} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function InvitationsSection({ invitations }: { invitations: Invitation[] }) {
  const revoke = useRevokeInvitation();
  return (
    <section className="panel" aria-labelledby="pending-invitations">
      <h2 id="pending-invitations">Pending invitations</h2>
      {invitations.length === 0 ? (
        <p className="muted">No invitation is waiting. Use “Invite a member” to add someone.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table--stack">
            <caption className="visually-hidden">Pending invitations</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Invited by</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((invitation) => (
                <tr key={invitation.id}>
                  <th scope="row" className="table__name">
                    {invitation.email}
                  </th>
                  <td data-label="Role">{roleLabel(invitation.role)}</td>
                  <td data-label="Invited by">
                    {invitation.invitedBy ?? <span className="muted">Unknown</span>}
                  </td>
                  <td data-label="Expires">
                    <time dateTime={invitation.expiresAt}>
                      {formatDateTime(invitation.expiresAt)}
                    </time>
                  </td>
                  <td className="table__actions">
                    <Button
                      variant="ghost"
                      pending={revoke.isPending && revoke.variables === invitation.id}
                      onClick={() => revoke.mutate(invitation.id)}
                    >
                      Revoke
                      <span className="visually-hidden">
                        {' '}
                        the invitation for {invitation.email}
                      </span>
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoke.isError ? (
        <p className="form-alert" role="alert">
          The invitation could not be revoked: {revoke.error.message}
        </p>
      ) : null}
    </section>
  );
}
