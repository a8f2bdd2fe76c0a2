// `npm run bench`: build the production dashboard, then run the benchmarks (bench/run.ts) against a
// stack started on free loopback ports with a temporary data folder. See bench/README.md.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

console.error('[bench] building the dashboard (production)…');
const build = spawnSync('npm', ['run', 'build', '-w', '@runner-console/web'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) {
  console.error('[bench] the dashboard build failed (see above).');
  process.exit(1);
}
const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts'], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
