import { describe, expect, it } from 'vitest';
import { describeApiTokenExpiry } from './api-token-expiry.ts';

const now = Date.parse('2026-12-01T08:00:00Z');

describe('describeApiTokenExpiry', () => {
  it('gives the date, and flags a token within 14 days of expiry', () => {
    expect(describeApiTokenExpiry('2027-03-01T23:59:59.999Z', now, 'en-GB')).toEqual({ label: 'Expires 1 Mar 2027', soon: false, expired: false });
    expect(describeApiTokenExpiry('2026-12-15T07:00:00.000Z', now, 'en-GB')).toMatchObject({ soon: true, label: 'Expires 15 Dec 2026 (in 14 days)' });
    expect(describeApiTokenExpiry('2026-12-16T09:00:00.000Z', now, 'en-GB').soon).toBe(false);
  });

  it('says when it has expired', () => {
    expect(describeApiTokenExpiry('2026-11-30T23:59:59.999Z', now, 'en-GB')).toEqual({ label: 'Expired on 30 Nov 2026', soon: false, expired: true });
  });
});
