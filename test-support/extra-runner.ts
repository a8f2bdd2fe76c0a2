import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildServicesIfStale, repoRoot, serviceCommand } from '../scripts/build-services.mjs';
import type { TestBrowser, TestStack } from './test-stack.ts';
import { freePort } from './free-port.ts';

/**
 * A second runner, set up through the API like an admin would, started as its own process (the way
 * "Set up a new runner" says), and waited for until it is active.
 */
export async function startExtraRunner(stack: TestStack, admin: TestBrowser, opts: { name?: string; bitbucketUrl?: string } = {}) {
  const created = await admin.api(stack.dashboard, 'POST', '/api/runners', { name: opts.name ?? `extra ${Math.random().toString(36).slice(2, 8)}` });
  if (created.status !== 201) throw new Error(`could not create runner: ${JSON.stringify(created.body)}`);
  const id: string = created.body.runner.id;
  const port = await freePort();
  let token: string = created.body.runnerToken;
  await buildServicesIfStale(['runner']);
  const spawnRunner = () =>
    spawn(process.execPath, serviceCommand('runner'), {
      cwd: repoRoot,
      env: {
        ...process.env,
        RUNNER_TOKEN: token,
        BFF_URL: stack.dashboard,
        RUNNER_PORT: String(port),
        RUNNER_DATA_DIR: path.join(stack.dataDir, 'runners', id),
        BITBUCKET_URL: opts.bitbucketUrl ?? stack.bitbucket,
        BITBUCKET_API_URL: opts.bitbucketUrl ?? stack.bitbucket,
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
  let child = spawnRunner();
  const waitForPhase = async (phase: string) => {
    for (let i = 0; i < 300; i++) {
      const r = await admin.api(stack.dashboard, 'GET', `/api/runners/${id}`);
      if (r.body?.phase === phase) return;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`runner ${id} never became ${phase}`);
  };
  await waitForPhase('active');
  token = created.body.runnerToken;
  return {
    id,
    url: `http://localhost:${port}`,
    waitForPhase,
    /** kill -9, as a crash would. */
    crash() {
      child.kill('SIGKILL');
    },
    async restart() {
      child = spawnRunner();
      await waitForPhase('active');
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
