import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServicesIfStale, repoRoot, serviceCommand } from '../../../scripts/build-services.mjs';
import { check } from '../../../security/support/record-security-row.ts';
import { gitCredentialSocketPath } from '../src/git/git-credential-server.ts';

/**
 * Part of `npm run test:security` (row 10): another user of the runner's machine prepares the
 * folder where a runner with a deep data folder puts its git credential socket (a predictable name
 * under /tmp), to read the environments' secrets or answer git with credentials of their choosing.
 * The real runner (its bundle, as installed) must refuse to start, and say why.
 */

const otherUid = 65534; // nobody
let scratch: string;
const madeFolders: string[] = [];

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-sock-sec-'));
  await buildServicesIfStale(['runner']);
}, 120_000);

afterAll(() => {
  for (const dir of [...madeFolders, scratch]) fs.rmSync(dir, { recursive: true, force: true });
});

/** A data folder too deep for a Unix socket path, so the runner falls back to a folder elsewhere. */
function deepDataDir(name: string): string {
  const dir = path.join(scratch, name, 'd'.repeat(90));
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** The runner's environment: no BFF to reach (it never gets that far when it refuses). */
function runnerEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: scratch,
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    RUNNER_TOKEN: 'rct_socket_folder_security_test_token',
    BFF_URL: 'http://127.0.0.1:9',
    RUNNER_PORT: '0',
    RUNNER_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...extra,
  };
}

/**
 * Starts the runner; answers how it ended within the time limit, or 'running' once its socket exists
 * (it then keeps trying to reach the BFF and is stopped here).
 */
async function startRunner(env: NodeJS.ProcessEnv, socketPath: string): Promise<{ outcome: 'exited' | 'running'; code: number | null; output: string }> {
  const child = spawn(process.execPath, serviceCommand('runner'), { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return { outcome: 'exited', code: await exited, output };
    if (fs.existsSync(socketPath)) {
      child.kill('SIGTERM');
      await exited;
      return { outcome: 'running', code: null, output };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  await exited;
  throw new Error(`the runner neither started nor refused in 30 s:\n${output}`);
}

/** Where the runner will look when XDG_RUNTIME_DIR is not set: a name anyone can compute. */
function fallbackFolderOf(dataDir: string): string {
  const folder = path.dirname(gitCredentialSocketPath(dataDir, {}));
  madeFolders.push(folder);
  return folder;
}

async function expectRefusal(dataDir: string, folder: string, reason: RegExp, extraEnv: Record<string, string> = {}) {
  const started = await startRunner(runnerEnv(dataDir, extraEnv), path.join(folder, 'runner.sock'));
  expect(started.outcome, started.output).toBe('exited');
  expect(started.code).toBe(1);
  expect(started.output).toContain('Runner failed to start: The folder for the git credential socket');
  expect(started.output).toMatch(reason);
}

describe('the git credential socket’s folder outside the data folder', () => {
  it('is made private by the runner, and put under XDG_RUNTIME_DIR when that is set', async () => {
    const dataDir = deepDataDir('clean');
    const folder = fallbackFolderOf(dataDir);
    expect(folder.startsWith(os.tmpdir())).toBe(true);
    const started = await startRunner(runnerEnv(dataDir), path.join(folder, 'runner.sock'));
    expect(started.outcome, started.output).toBe('running');
    const stat = fs.lstatSync(folder);
    expect(stat.isDirectory()).toBe(true);
    expect(stat.uid).toBe(process.getuid!());
    expect(stat.mode & 0o777).toBe(0o700);

    const runtimeDir = fs.mkdtempSync(path.join(scratch, 'xdg-'));
    const inRuntimeDir = gitCredentialSocketPath(dataDir, { XDG_RUNTIME_DIR: runtimeDir });
    expect(inRuntimeDir.startsWith(`${runtimeDir}/`)).toBe(true);
    const again = await startRunner(runnerEnv(dataDir, { XDG_RUNTIME_DIR: runtimeDir }), inRuntimeDir);
    expect(again.outcome, again.output).toBe('running');
  });

  it('attack: a folder made first by another user is refused', () =>
    check('trust', 'credential socket folder pre-made in /tmp by another uid', async () => {
      const dataDir = deepDataDir('other-owner');
      const folder = fallbackFolderOf(dataDir);
      fs.mkdirSync(folder, { mode: 0o700 });
      fs.chownSync(folder, otherUid, otherUid);
      await expectRefusal(dataDir, folder, /belongs to another user \(uid 65534/);
      expect(fs.lstatSync(folder).uid).toBe(otherUid);
      expect(fs.readdirSync(folder)).toEqual([]);
    }));

  it('attack: a symbolic link at the folder’s name is refused, even to a private folder', () =>
    check('trust', 'credential socket folder is a symlink', async () => {
      const dataDir = deepDataDir('symlink');
      const folder = fallbackFolderOf(dataDir);
      const target = fs.mkdtempSync(path.join(scratch, 'link-target-'));
      fs.chmodSync(target, 0o700);
      fs.symlinkSync(target, folder);
      await expectRefusal(dataDir, folder, /is a symbolic link/);
      expect(fs.readdirSync(target)).toEqual([]);
    }));

  it('attack: a folder of the runner’s own user with mode 0777 is refused, not tightened', () =>
    check('trust', 'credential socket folder with mode 0777', async () => {
      const dataDir = deepDataDir('open-mode');
      const folder = fallbackFolderOf(dataDir);
      fs.mkdirSync(folder);
      fs.chmodSync(folder, 0o777);
      await expectRefusal(dataDir, folder, /has mode 0777, not 0700/);
      expect(fs.statSync(folder).mode & 0o777).toBe(0o777);
    }));

  it('attack: a folder in a world-writable, non-sticky runtime directory is refused', () =>
    check('trust', 'credential socket folder in a world-writable non-sticky XDG_RUNTIME_DIR', async () => {
      const dataDir = deepDataDir('open-runtime-dir');
      const runtimeDir = fs.mkdtempSync(path.join(scratch, 'xdg-open-'));
      fs.chmodSync(runtimeDir, 0o777);
      const folder = path.dirname(gitCredentialSocketPath(dataDir, { XDG_RUNTIME_DIR: runtimeDir }));
      await expectRefusal(dataDir, folder, /which any user can write to and which is not sticky/, { XDG_RUNTIME_DIR: runtimeDir });
    }));
});
