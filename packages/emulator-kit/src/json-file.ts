import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * Writes JSON to a temporary file and renames it into place, so a crash never leaves half a file
 * (rename is atomic on one file system). Owner-only permissions: it holds token hashes.
 */
export function writeJsonFileAtomically(file: string, value: unknown): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/** The parsed file, or undefined when there is none yet. */
export function readJsonFile(file: string): unknown {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}
