// Sums the rows the security suite recorded into one table, prints it, and writes it into
// SECURITY.md between its markers. Fails when a row is missing or anything was lost.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsFile = path.join(root, '.data', 'security', 'results.jsonl');
const items = [
  ['secret', '1. Secret never in plaintext outside browser and runner'],
  ['oauth', '2. OAuth flow attacks'],
  ['envelope', '3. Envelope attacks'],
  ['access', '4. Access control matrix'],
  ['web', '5. Web hardening'],
  ['input', '6. Bad input (property-based)'],
  ['faults', '7. Faults and durability'],
  ['load', '8. Load: concurrent Connect flows'],
  ['apiTokens', '9. API token attacks'],
  ['trust', '10. Compromised BFF, stolen runner token, shared links'],
];

const lines = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean) : [];
const sums = new Map(items.map(([key]) => [key, { tried: 0, held: 0, lost: 0 }]));
for (const line of lines) {
  const row = JSON.parse(line);
  const sum = sums.get(row.item);
  if (!sum) continue;
  sum.tried += row.tried;
  sum.held += row.held;
  sum.lost += row.lost;
}

const header = '| item | tried | held | lost |\n| --- | ---: | ---: | ---: |';
const body = items.map(([key, label]) => {
  const s = sums.get(key);
  return `| ${label} | ${s.tried} | ${s.held} | ${s.lost} |`;
});
const table = `${header}\n${body.join('\n')}`;
const healthFile = path.join(root, '.data', 'security', 'load-health.json');
const health = fs.existsSync(healthFile) ? JSON.parse(fs.readFileSync(healthFile, 'utf8')) : undefined;
const healthLine = health
  ? `\n\nDuring row 8, health p99 was ${health.bffP99.toFixed(0)} ms for the BFF and ${health.runnerP99.toFixed(0)} ms for the runner (budget ${health.budgetMs} ms, enforced: a figure over it fails the row).`
  : '';
const stamp = `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores, Node ${process.version}.${healthLine}`;
console.log(`\nSecurity and reliability suite\n\n${table}\n\n${stamp}\n`);

const securityMd = path.join(root, 'SECURITY.md');
if (fs.existsSync(securityMd) && process.env.SECURITY_REPORT_WRITE !== '0') {
  const md = fs.readFileSync(securityMd, 'utf8');
  const next = md.replace(/<!-- security-table:start -->[\s\S]*<!-- security-table:end -->/, `<!-- security-table:start -->\n${table}\n\n${stamp}\n<!-- security-table:end -->`);
  if (next !== md) fs.writeFileSync(securityMd, next);
}

const missing = items.filter(([key]) => sums.get(key).tried === 0).map(([, label]) => label);
const lost = items.filter(([key]) => sums.get(key).lost > 0).map(([, label]) => label);
if (missing.length) console.error(`Rows with nothing tried: ${missing.join('; ')}`);
if (lost.length) console.error(`Rows with losses: ${lost.join('; ')}`);
const total = [...sums.values()].reduce((a, s) => ({ held: a.held + s.held, lost: a.lost + s.lost }), { held: 0, lost: 0 });
console.log(`${total.held} passed, ${total.lost} failed`);
process.exit(missing.length || lost.length ? 1 : 0);
