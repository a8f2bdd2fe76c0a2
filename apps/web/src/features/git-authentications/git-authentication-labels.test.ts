import { describe, expect, it } from 'vitest';
import { describeRenewal, formatExpiry, providerNameOf, providerNameOfHost } from './git-authentication-labels.ts';

const now = Date.parse('2026-01-01T12:00:00Z');

describe('formatExpiry', () => {
  it('says how long is left', () => {
    expect(formatExpiry('2026-01-01T13:59:30Z', now)).toBe('in 1 h 59 min');
    expect(formatExpiry('2026-01-01T12:00:30Z', now)).toBe('in less than a minute');
    expect(formatExpiry('2026-01-04T12:00:00Z', now)).toBe('in 3 days');
  });
  it('says since when it expired, and when it never does', () => {
    expect(formatExpiry('2026-01-01T11:55:00Z', now)).toBe('expired 5 min ago');
    expect(formatExpiry(null, now)).toBe('Does not expire');
  });
});

describe('providerNameOfHost', () => {
  it('names known hosts after their provider', () => {
    expect(providerNameOfHost('bitbucket.org')).toBe('Bitbucket');
    expect(providerNameOfHost('git.example.com')).toBe('git.example.com');
  });
});

describe('describeRenewal', () => {
  const expiresAt = '2026-03-01T00:00:00Z';
  it('an OAuth token renews itself', () => {
    expect(describeRenewal({ method: 'oauth', expiresAt, needsReauthorization: false })).toBe(
      'Renews itself: the runner refreshes it on use',
    );
  });
  it('an API token does not renew: it says what happens on its date', () => {
    const text = describeRenewal({ method: 'api_token', expiresAt, needsReauthorization: false });
    expect(text).toBe(
      'Does not renew: it stops working on this date, and you connect again with a new API token',
    );
    expect(text).not.toMatch(/refresh|renews itself/i);
  });
  it('says nothing without an expiry, or when the connection must be made again', () => {
    expect(describeRenewal({ method: 'oauth', expiresAt: null, needsReauthorization: false })).toBeNull();
    expect(describeRenewal({ method: 'oauth', expiresAt, needsReauthorization: true })).toBeNull();
  });
});

describe('providerNameOf', () => {
  it("names a self-managed host's provider from its integration, and a cloud host from the host", () => {
    expect(providerNameOf({ host: 'bitbucket.acme.test', provider: 'bitbucket-data-center' })).toBe('Bitbucket Data Center');
    expect(providerNameOf({ host: 'bitbucket.org' })).toBe('Bitbucket');
    expect(providerNameOf({ host: 'git.unknown.test', provider: null })).toBe('git.unknown.test');
  });
});
