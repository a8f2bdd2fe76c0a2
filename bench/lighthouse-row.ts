import type { BenchRow } from './stats.ts';

/** The parts of a Lighthouse result (LH.Result) that the row reads. */
export interface LighthouseResultLike {
  finalDisplayedUrl?: string;
  categories: { performance?: { score: number | null } };
  audits: Record<string, { displayValue?: string; errorMessage?: string } | undefined>;
  runtimeError?: { code: string; message: string };
  runWarnings?: string[];
}

const METRICS = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time'] as const;

/**
 * One page's Lighthouse row. A run Lighthouse could not measure (no score: a runtimeError such as
 * NO_FCP, or metrics that errored) says why and is not reported as a score of 0.
 */
export function lighthouseRow(spec: { name: string; path: string }, lhr: LighthouseResultLike | undefined): BenchRow {
  const audit = (id: string) => lhr?.audits[id]?.displayValue ?? '?';
  const benchmark = `5. ${spec.name}: Lighthouse performance (desktop; FCP ${audit('first-contentful-paint')}, LCP ${audit('largest-contentful-paint')}, TBT ${audit('total-blocking-time')})`;
  const base = { benchmark, baseline: '–', ratio: '–', budget: '≥ 95' };
  const score = lhr?.categories.performance?.score;
  if (!lhr || score === null || score === undefined || lhr.runtimeError) {
    return { ...base, figure: 'not measured', pass: false, note: whyNotMeasured(lhr) };
  }
  const figure = Math.round(score * 100);
  const finalUrl = lhr.finalDisplayedUrl ?? '';
  const onPage = finalUrl.includes(spec.path);
  return {
    ...base,
    figure: String(figure),
    pass: figure >= 95 && onPage,
    ...(onPage ? {} : { note: `Lighthouse ended on ${finalUrl}` }),
  };
}

function whyNotMeasured(lhr: LighthouseResultLike | undefined): string {
  if (!lhr) return 'Lighthouse could not measure the page: it returned no result.';
  if (lhr.runtimeError) {
    return `Lighthouse could not measure the page: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`;
  }
  const metricError = METRICS.map((id) => lhr.audits[id]?.errorMessage).find(Boolean);
  const reason = metricError ?? lhr.runWarnings?.[0] ?? 'it gave no performance score and no reason.';
  return `Lighthouse could not measure the page: ${reason}`;
}
