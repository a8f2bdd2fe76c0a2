import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** Debian's promtool (package `prometheus`), or PROMTOOL; undefined when it is not installed. */
export function findPromtool(): string | undefined {
  const candidates = [process.env.PROMTOOL, '/usr/bin/promtool', '/usr/local/bin/promtool'].filter((p): p is string => Boolean(p));
  return candidates.find((p) => fs.existsSync(p));
}

/** `promtool check metrics` on a scrape's text: its exit status and what it printed. */
export function promtoolCheckMetrics(promtool: string, text: string): { status: number | null; output: string } {
  const run = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
