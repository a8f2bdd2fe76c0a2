import { describe, expect, it } from 'vitest';
import { describeOrgEntry } from './describe-org-entry.ts';

describe('describeOrgEntry', () => {
  it('puts the organization events in words, and leaves runner events to their feature', () => {
    expect(
      describeOrgEntry({
        action: 'invitation.created',
        target: 'grace@acme.test',
        details: { role: 'admin' },
      }),
    ).toBe('invited grace@acme.test as an admin');
    expect(
      describeOrgEntry({
        action: 'member.role_changed',
        target: 'dev@acme.test',
        details: { from: 'admin', to: 'member' },
      }),
    ).toBe('made dev@acme.test a member');
    expect(
      describeOrgEntry({
        action: 'invitation.accepted',
        target: 'g@acme.test',
        details: { role: 'member', invitedBy: 'admin@acme.test' },
      }),
    ).toBe('joined as a member, invited by admin@acme.test');
    expect(
      describeOrgEntry({ action: 'runner.created', target: 'Build runner', details: {} }),
    ).toBeUndefined();
  });
});
