import { describe, expect, it } from 'vitest';
import { describeAuditEntry, describeValidation } from './integration-labels.ts';

describe('describeAuditEntry', () => {
  const target = 'Bitbucket (bitbucket.org)';

  it('reads each action as a sentence', () => {
    expect(describeAuditEntry({ action: 'integration.created', target, details: {} })).toBe(
      'added Bitbucket (bitbucket.org)',
    );
    expect(describeAuditEntry({ action: 'integration.deleted', target, details: {} })).toBe(
      'deleted Bitbucket (bitbucket.org)',
    );
    expect(
      describeAuditEntry({
        action: 'integration.updated',
        target,
        details: { changes: ['oauth_disabled', 'secret_replaced'], clientId: 'abc' },
      }),
    ).toBe('changed Bitbucket (bitbucket.org): turned OAuth off, replaced the secret');
    expect(
      describeAuditEntry({ action: 'integration.updated', target, details: { changes: ['pat_disabled'] } }),
    ).toBe('changed Bitbucket (bitbucket.org): turned personal access tokens off (deleting the tokens developers entered)');
    expect(describeAuditEntry({ action: 'runner.created', target: 'Build', details: {} })).toBe(
      'set up the runner Build',
    );
    expect(
      describeAuditEntry({
        action: 'integration.validation_failed',
        target,
        details: { status: 'invalid_credentials', kept: 'current secret' },
      }),
    ).toBe(
      'entered a Key and Secret for Bitbucket (bitbucket.org) that were refused; the current ones stayed',
    );
    expect(
      describeAuditEntry({
        action: 'git_authentication.disconnected',
        target: 'Bitbucket (Alice)',
        details: {},
      }),
    ).toBe('disconnected their Bitbucket (Alice) account');
  });

  it('says who finished a refused Connect and that nothing was attached', () => {
    expect(
      describeAuditEntry({
        action: 'git_authentication.refused',
        target: 'bitbucket.org (Alice)',
        details: { flowOwner: 'dev@acme.test', finishedBy: 'a browser signed out of Runner Console' },
      }),
    ).toBe('refused a Connect started by dev@acme.test and finished by a browser signed out of Runner Console: bitbucket.org (Alice) was not connected');
    expect(describeAuditEntry({ action: 'git_authentication.connected', target: 'Bitbucket (Alice)', details: {} })).toBe('connected their Bitbucket (Alice) account');
    expect(describeAuditEntry({ action: 'git_authentication.revoked', target: 'Bitbucket (Alice)', details: { userEmail: 'dev@acme.test', atProvider: 'not_supported' } })).toBe('revoked dev@acme.test’s Bitbucket (Alice) connection');
    expect(describeAuditEntry({ action: 'git_authentication.member_erased', target: 'dev@acme.test', details: { erased: 2, deliveredOnReconnect: true } })).toBe('erased the connections of removed member dev@acme.test (2 tokens, when the runner connected again)');
  });

  it('never prints details it does not know', () => {
    const text = describeAuditEntry({
      action: 'integration.created',
      target,
      details: { secret: 'set', somethingElse: 'hidden' },
    });
    expect(text).not.toContain('hidden');
  });
});

describe('describeValidation', () => {
  const validation = (status: 'valid' | 'invalid_credentials' | 'provider_unreachable') => ({
    validation: { status, message: null, checkedAt: null },
    secretNeedsReentry: false,
  });

  it('names the outcome an admin acts on', () => {
    expect(describeValidation(validation('valid'), 'Bitbucket').label).toBe('Valid');
    expect(describeValidation(validation('invalid_credentials'), 'Bitbucket').label).toBe(
      'Wrong key or secret',
    );
    expect(describeValidation(validation('provider_unreachable'), 'Bitbucket').label).toBe(
      'Bitbucket unreachable',
    );
  });

  it('asks for the secret again after the runner key changed', () => {
    expect(
      describeValidation({ ...validation('valid'), secretNeedsReentry: true }, 'Bitbucket').label,
    ).toBe('Re-enter the secret');
    // The old secret keeps working meanwhile: a to-do, not an error.
    expect(
      describeValidation({ ...validation('valid'), secretNeedsReentry: true }, 'Bitbucket').tone,
    ).toBe('warning');
  });
});
