import type { OrgAuditEntry } from '@runner-console/contracts';

type Entry = Pick<OrgAuditEntry, 'action' | 'target' | 'details'>;

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const role = (value: unknown) => (value === 'admin' ? 'an admin' : 'a member');

/** The organization's own events in words; undefined for the rest (a runner's, described by its feature). */
export function describeOrgEntry(entry: Entry): string | undefined {
  switch (entry.action) {
    case 'org.set_up':
      return `set up the organization ${entry.target}`;
    case 'invitation.created':
      return `invited ${entry.target} as ${role(entry.details.role)}`;
    case 'invitation.accepted':
      return `joined as ${role(entry.details.role)}${text(entry.details.invitedBy) ? `, invited by ${text(entry.details.invitedBy)}` : ''}`;
    case 'invitation.revoked':
      return `revoked the invitation for ${entry.target}`;
    case 'member.role_changed':
      return `made ${entry.target} ${role(entry.details.to)}`;
    case 'member.removed':
      return `removed ${entry.target}`;
    case 'password_reset.created':
      return `made a password reset link for ${entry.target}`;
    case 'password_reset.completed':
      return 'set a new password with a reset link';
    case 'password.changed':
      return 'changed their password';
    default:
      return undefined;
  }
}
