import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, services } from '../scripts/build-services.mjs';
import { freePort } from '../test-support/free-port.ts';
import { stopStartScript, waitForStackStart } from '../test-support/test-stack.ts';

export { freePort, repoRoot };

export interface BenchStack {
  dashboard: string;
  runner: string;
  bitbucket: string;
  github: string;
  gitlab: string;
  /** The Bitbucket Data Center emulator, standing for bitbucket.acme.test. */
  bitbucketDc: string;
  /** The Azure DevOps emulator (and the Entra ID emulator beside it); absent where the stack does not start them (the cluster bench). */
  azureDevops?: string;
  ports: { bff: number; runner: number; bitbucket: number; github: number; gitlab: number; bitbucketDc: number; azureDevops?: number; entra?: number };
  dataDir: string;
  /** pids of the BFF and runner processes (children of the start script). */
  pids: { bff: number; runner: number };
  stop(): Promise<void>;
}

/** The stack exactly as `npm start` starts it (scripts/start.mjs), on free loopback ports with a temporary data folder. */
export async function startBenchStack(): Promise<BenchStack> {
  const ports = { bff: await freePort(), runner: await freePort(), bitbucket: await freePort(), github: await freePort(), gitlab: await freePort(), bitbucketDc: await freePort(), azureDevops: await freePort(), entra: await freePort() };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-'));
  const child: ChildProcess = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(ports.bff),
      RUNNER_PORT: String(ports.runner),
      BITBUCKET_PORT: String(ports.bitbucket),
      GITHUB_PORT: String(ports.github),
      GITLAB_PORT: String(ports.gitlab),
      BITBUCKET_DC_PORT: String(ports.bitbucketDc),
      AZURE_DEVOPS_PORT: String(ports.azureDevops),
      ENTRA_PORT: String(ports.entra),
      DATA_DIR: dataDir,
      // The bench builds the dashboard itself, once, before it starts the stack.
      SKIP_WEB_BUILD: '1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A stack that fails to come up is stopped, so a failed bench leaves no services running.
  try {
    return await waitUntilUp(child, ports, dataDir);
  } catch (err) {
    if (child.exitCode === null) child.kill('SIGTERM');
    throw err;
  }
}

async function waitUntilUp(child: ChildProcess, ports: BenchStack['ports'], dataDir: string): Promise<BenchStack> {
  await waitForStackStart(child, 90_000);
  const pids = { bff: childPidRunning(child.pid!, services.bff.bundle), runner: childPidRunning(child.pid!, services.runner.bundle) };
  return {
    dashboard: `http://localhost:${ports.bff}`,
    runner: `http://localhost:${ports.runner}`,
    bitbucket: `http://localhost:${ports.bitbucket}`,
    github: `http://localhost:${ports.github}`,
    gitlab: `http://localhost:${ports.gitlab}`,
    bitbucketDc: `http://localhost:${ports.bitbucketDc}`,
    ...(ports.azureDevops ? { azureDevops: `http://localhost:${ports.azureDevops}` } : {}),
    ports,
    dataDir,
    pids,
    async stop() {
      await stopStartScript(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The child of `parentPid` whose command line names `entry`. */
function childPidRunning(parentPid: number, entry: string): number {
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== parentPid) continue;
      if (fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(entry)) return Number(name);
    } catch {
      /* the process went away */
    }
  }
  throw new Error(`no child process running ${entry}`);
}

/** VmRSS (now) and VmHWM (peak since start) of a process, in bytes. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  let status = '';
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    /* the process is gone: NaN figures, and the rows fail */
  }
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}
