import { describe, expect, it } from 'vitest';
import { lighthouseRow, type LighthouseResultLike } from './lighthouse-row.ts';

const spec = { name: 'New environment', path: '/environments/new' };

function result(overrides: Partial<LighthouseResultLike>): LighthouseResultLike {
  return {
    finalDisplayedUrl: 'http://localhost:8080/environments/new',
    categories: { performance: { score: 0.98 } },
    audits: {
      'first-contentful-paint': { displayValue: '0.4 s' },
      'largest-contentful-paint': { displayValue: '0.6 s' },
      'total-blocking-time': { displayValue: '0 ms' },
    },
    ...overrides,
  };
}

describe('lighthouseRow', () => {
  it('a measured run gives its score and metrics', () => {
    const row = lighthouseRow(spec, result({}));
    expect(row).toMatchObject({ figure: '98', pass: true });
    expect(row.benchmark).toBe('5. New environment: Lighthouse performance (desktop; FCP 0.4 s, LCP 0.6 s, TBT 0 ms)');
    expect(row.note).toBeUndefined();
  });

  it('a run Lighthouse could not measure says why, with its runtimeError code and message, not a score of 0', () => {
    const row = lighthouseRow(
      spec,
      result({
        categories: { performance: { score: null } },
        audits: {},
        runtimeError: { code: 'NO_FCP', message: 'The page did not paint any content.' },
      }),
    );
    expect(row.figure).toBe('not measured');
    expect(row.figure).not.toBe('0');
    expect(row.pass).toBe(false);
    expect(row.note).toBe('Lighthouse could not measure the page: NO_FCP: The page did not paint any content.');
    expect(row.benchmark).toContain('FCP ?, LCP ?, TBT ?');
  });

  it('without a runtimeError, a missing score names the metric error or the run warning', () => {
    const metricError = lighthouseRow(
      spec,
      result({ categories: { performance: { score: null } }, audits: { 'largest-contentful-paint': { errorMessage: 'NO_LCP' } } }),
    );
    expect(metricError.note).toBe('Lighthouse could not measure the page: NO_LCP');
    const warning = lighthouseRow(spec, result({ categories: { performance: { score: null } }, audits: {}, runWarnings: ['The page loaded too slowly.'] }));
    expect(warning.note).toBe('Lighthouse could not measure the page: The page loaded too slowly.');
  });

  it('no result at all says so', () => {
    expect(lighthouseRow(spec, undefined)).toMatchObject({
      figure: 'not measured',
      pass: false,
      note: 'Lighthouse could not measure the page: it returned no result.',
    });
  });

  it('a run that ended on another page is not a pass', () => {
    const row = lighthouseRow(spec, result({ finalDisplayedUrl: 'http://localhost:8080/sign-in' }));
    expect(row).toMatchObject({ figure: '98', pass: false, note: 'Lighthouse ended on http://localhost:8080/sign-in' });
  });
});
