import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildServicesIfStale, repoRoot, serviceCommand } from '../scripts/build-services.mjs';
import { freePort } from './free-port.ts';

async function waitForHealth(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

type ServiceName = 'bitbucket-emulator' | 'bff' | 'runner';

/**
 * The same three services `npm start` runs, with the same settings, but each its own process that a
 * test can kill (-9, as a crash) and start again: for fault and durability tests.
 */
export async function startServiceStack(opts: { bffDataDir?: string } = {}) {
  const ports = { bff: await freePort(), runner: await freePort(), bitbucket: await freePort() };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-services-'));
  const token = `rct_${randomBytes(32).toString('base64url')}`;
  const urls = { dashboard: `http://localhost:${ports.bff}`, runner: `http://localhost:${ports.runner}`, bitbucket: `http://localhost:${ports.bitbucket}` };
  const bitbucketEnv = { BITBUCKET_URL: urls.bitbucket, BITBUCKET_API_URL: urls.bitbucket };
  const specs: Record<ServiceName, { env: Record<string, string>; health: string }> = {
    'bitbucket-emulator': { env: { DATA_DIR: dataDir, BITBUCKET_PORT: String(ports.bitbucket) }, health: `${urls.bitbucket}/_emulator/health` },
    bff: {
      // The BFF's data may live elsewhere (a small tmpfs, to simulate a full disk): DATA_DIR/bff is its folder.
      env: { DATA_DIR: opts.bffDataDir ?? dataDir, PORT: String(ports.bff), LOCAL_RUNNER_TOKEN: token, ...bitbucketEnv },
      health: `${urls.dashboard}/healthz`,
    },
    runner: { env: { DATA_DIR: dataDir, RUNNER_TOKEN: token, BFF_URL: urls.dashboard, RUNNER_PORT: String(ports.runner), ...bitbucketEnv }, health: `${urls.runner}/healthz` },
  };
  const running = new Map<ServiceName, ChildProcess>();
  fs.mkdirSync(path.join(dataDir, 'logs'), { recursive: true });

  async function start(name: ServiceName) {
    const spec = specs[name];
    const log = fs.openSync(path.join(dataDir, 'logs', `${name}.log`), 'a');
    const child = spawn(process.execPath, serviceCommand(name), { cwd: repoRoot, env: { ...process.env, LOG_LEVEL: 'info', ...spec.env }, stdio: ['ignore', log, log] });
    running.set(name, child);
    await waitForHealth(spec.health);
  }

  function kill(name: ServiceName, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = running.get(name);
    running.delete(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  await buildServicesIfStale();
  await start('bitbucket-emulator');
  await start('bff');
  await start('runner');

  return {
    ...urls,
    ports,
    dataDir,
    start,
    kill,
    async stop() {
      await Promise.all([...running.keys()].map((n) => kill(n, 'SIGTERM')));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
export type ServiceStack = Awaited<ReturnType<typeof startServiceStack>>;
