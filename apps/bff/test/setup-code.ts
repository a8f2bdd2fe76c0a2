/** The set-up code from the BFF's log line holding "set-up code" (a fresh database without the seed). */
export function setupCodeFrom(logLines: string[]): string {
  const line = logLines.find((l) => l.includes('set-up code'));
  const code = line ? /set-up code: ([A-Z0-9-]+)/.exec(line)?.[1] : undefined;
  if (!code) throw new Error('no set-up code in the log');
  return code;
}
