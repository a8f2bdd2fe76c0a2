import { describe, expect, it } from 'vitest';
import { formatExpiry, providerNameOfHost } from './git-authentication-labels.ts';

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
