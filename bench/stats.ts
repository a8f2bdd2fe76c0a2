/** Nearest-rank percentile of a sample (p in 0..100). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function ms(value: number): string {
  return Number.isFinite(value) ? `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms` : 'n/a';
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** One row of the results table. `pass` is null for rows that are informational (no budget). */
export interface BenchRow {
  benchmark: string;
  figure: string;
  baseline: string;
  ratio: string;
  budget: string;
  pass: boolean | null;
  note?: string;
}

export function ratio(figure: number, baseline: number): string {
  return Number.isFinite(figure) && Number.isFinite(baseline) && baseline > 0 ? `${(figure / baseline).toFixed(2)}×` : 'n/a';
}

/** A row for a step that could not run: it fails, and says why. */
export function failedRow(benchmark: string, budget: string, err: unknown): BenchRow {
  const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  return { benchmark, figure: 'error', baseline: '–', ratio: '–', budget, pass: false, note: message.slice(0, 200) };
}
