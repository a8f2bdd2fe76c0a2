import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const securityResultsFile = path.join(repoRoot, '.data', 'security', 'results.jsonl');

/** The rows of SECURITY.md's table, in order. Each test file reports into one of them. */
export const securityItems = {
  secret: '1. Secret never in plaintext outside browser and runner',
  oauth: '2. OAuth flow attacks',
  envelope: '3. Envelope attacks',
  access: '4. Access control matrix',
  web: '5. Web hardening',
  input: '6. Bad input (property-based)',
  faults: '7. Faults and durability',
  load: '8. Load: concurrent Connect flows',
  apiTokens: '9. API token attacks',
  trust: '10. Compromised BFF, stolen runner token, shared links',
} as const;

export type SecurityItem = keyof typeof securityItems;

/**
 * Add attempts to a row: `tried` attacks or checks, `held` refused or clean as required, `lost` where
 * the property failed. The report script sums the rows into the table.
 */
export function recordSecurityRow(item: SecurityItem, counts: { tried: number; held: number; lost: number }, detail?: string): void {
  fs.mkdirSync(path.dirname(securityResultsFile), { recursive: true });
  fs.appendFileSync(securityResultsFile, `${JSON.stringify({ item, ...counts, detail, at: new Date().toISOString() })}\n`);
}

/** Run one named check; a thrown assertion counts as lost (and still fails the test). */
export async function check<T>(item: SecurityItem, name: string, fn: () => Promise<T> | T): Promise<T> {
  try {
    const result = await fn();
    recordSecurityRow(item, { tried: 1, held: 1, lost: 0 }, name);
    return result;
  } catch (err) {
    recordSecurityRow(item, { tried: 1, held: 0, lost: 1 }, name);
    throw err;
  }
}
