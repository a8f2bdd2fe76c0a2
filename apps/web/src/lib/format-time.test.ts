import { describe, expect, it } from 'vitest';
import { formatDateTime, formatRelativeTime } from './format-time.ts';

const at = Date.parse('2025-03-10T12:00:00.000Z');
const ago = (ms: number) => new Date(at - ms).toISOString();

describe('formatRelativeTime', () => {
  it.each([
    [0, 'just now'],
    [4_999, 'just now'],
    [12_000, '12 s ago'],
    [59_999, '59 s ago'],
    [60_000, '1 min ago'],
    [5 * 60_000 + 30_000, '5 min ago'],
    [3 * 3_600_000, '3 h ago'],
    [86_400_000, '1 day ago'],
    [2 * 86_400_000, '2 days ago'],
  ])('%i ms ago reads "%s"', (elapsed, text) => {
    expect(formatRelativeTime(ago(elapsed), at)).toBe(text);
  });

  it('reads a slightly future time (clock skew) as just now', () => {
    expect(formatRelativeTime(ago(-3_000), at)).toBe('just now');
  });

  it('gives the date for times older than a month', () => {
    expect(formatRelativeTime('2025-01-02T08:00:00.000Z', at, 'en-GB')).toBe('on 2 Jan 2025');
  });

  it('survives a malformed time', () => {
    expect(formatRelativeTime('not a date', at)).toBe('at an unknown time');
  });

  it('ticks: the same time reads differently a few seconds later', () => {
    const seen = ago(10_000);
    expect(formatRelativeTime(seen, at)).toBe('10 s ago');
    expect(formatRelativeTime(seen, at + 3_000)).toBe('13 s ago');
  });
});

describe('formatDateTime', () => {
  it('formats in the given locale and zone', () => {
    expect(formatDateTime('2025-03-10T12:00:00.000Z', 'en-GB', 'UTC')).toBe('10 Mar 2025, 12:00');
  });
});
