// `npm run typecheck`: every TypeScript project, two at a time (the CI machine has two cores; one
// `tsc -p` after another took about 72 s). Each project's errors are printed together, and the
// script fails when any project fails.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { createRequire } from 'node:module';

const projects = [
  'packages/contracts',
  'packages/envelope',
  'packages/scm-providers',
  'packages/emulator-kit',
  'apps/bff',
  'apps/runner',
  'apps/bitbucket-emulator',
  'apps/github-emulator',
  'apps/gitlab-emulator',
  'apps/bitbucket-dc-emulator',
  'apps/azure-devops-emulator',
  'apps/web',
  'e2e',
  'test-support',
  'bench',
];
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const parallel = Math.max(1, Math.min(2, os.availableParallelism()));

function check(project) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '-p', project], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => {
      process.stdout.write(`tsc -p ${project}: ${code === 0 ? 'ok' : 'errors'}\n${output}`);
      resolve(code === 0);
    });
  });
}

const queue = [...projects];
let failed = false;
await Promise.all(
  Array.from({ length: parallel }, async () => {
    while (queue.length) if (!(await check(queue.shift()))) failed = true;
  }),
);
process.exit(failed ? 1 : 0);
