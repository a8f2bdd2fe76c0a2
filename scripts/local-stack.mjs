// What `npm start` (scripts/start.mjs) and `npm run start:cluster` (scripts/start-cluster.mjs)
// share: reading ports, the Local runner's token, building the dashboard when its sources changed,
// and a small process supervisor (start, wait until healthy, stop all on Ctrl-C). Written here
// rather than taken from a library: it is a few dozen lines around child_process, and a process
// manager (pm2, concurrently) would bring its own logs, restarts and config.
/* global AbortSignal */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime } from './build-services.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A port from the environment, or the fallback; anything else stops start-up with a clear line. */
export function port(env, name, fallback) {
  const raw = env[name] ?? String(fallback);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    console.error(`${name} must be a port number between 1 and 65535 (got "${raw}").`);
    process.exit(1);
  }
  return n;
}

/** A path relative to the working folder when it is inside it (for messages). */
export function shortPath(p) {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}

/** The Local runner's token lives in the data folder, so a second start reuses it. */
export function localRunnerToken(dataDir) {
  const tokenFile = path.join(dataDir, 'local-runner.token');
  if (!fs.existsSync(tokenFile)) fs.writeFileSync(tokenFile, `rct_${randomBytes(32).toString('base64url')}`, { mode: 0o600 });
  return fs.readFileSync(tokenFile, 'utf8').trim();
}

export function buildDashboardIfStale() {
  const index = path.join(root, 'apps/web/dist/index.html');
  const sources = Math.max(newestMtime(path.join(root, 'apps/web')), newestMtime(path.join(root, 'packages')));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources) return;
  console.log('Building the dashboard…');
  const result = spawnSync('npm', ['run', 'build', '-w', '@runner-console/web'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) {
    console.error('The dashboard build failed (see above).');
    process.exit(1);
  }
}

/**
 * Child processes with their logs in `logDir/<name>.log` (stderr also shown here, prefixed), and
 * one way to stop them all: SIGTERM, then SIGKILL after 5 s. `afterStop` runs once they are gone.
 * SIGINT and SIGTERM to this process stop everything.
 */
export function createSupervisor({ env, logDir, afterStop }) {
  const children = new Map();
  let stopping = false;

  /** Start a process; `onExit` decides what its unexpected end means (default: stop everything). */
  function start(name, command, args, childEnv, { onExit, cwd = root, logged = true } = {}) {
    const log = logged ? fs.openSync(path.join(logDir, `${name}.log`), 'a') : null;
    const child = spawn(command, args, { cwd, env: { ...env, ...childEnv }, stdio: ['ignore', log ?? 'ignore', logged ? 'pipe' : 'inherit'] });
    child.stderr?.on('data', (chunk) => {
      fs.writeSync(log, chunk);
      process.stderr.write(`[${name}] ${chunk}`);
    });
    child.on('exit', (code, signal) => {
      if (log !== null) fs.closeSync(log);
      if (children.get(name) === child) children.delete(name);
      if (stopping) return;
      const why = signal ?? `exit code ${code}`;
      if (onExit) return onExit(why);
      console.error(`\n${name} stopped unexpectedly (${why}).${logged ? ` Its log: ${shortPath(path.join(logDir, `${name}.log`))}` : ''}`);
      stopAll(1);
    });
    children.set(name, child);
    return child;
  }

  async function waitFor(name, url, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    console.error(`${name} did not start within ${timeoutMs / 1000} s. See ${shortPath(path.join(logDir, `${name}.log`))}.`);
    stopAll(1);
  }

  async function stopAll(code) {
    if (stopping) return;
    stopping = true;
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    afterStop?.();
    process.exit(code);
  }

  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));

  return { start, waitFor, stopAll, isStopping: () => stopping };
}
