// A throwaway PostgreSQL cluster from Debian's `postgresql` package (initdb + pg_ctl), for tests and
// `npm run start:cluster`. PostgreSQL refuses to run as root, so as root the cluster belongs to an
// unprivileged system user (`pgtest`, created on first use). It listens on 127.0.0.1 only, on the
// port given, with password (scram-sha-256) authentication.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const binDirs = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];
const clusterUser = 'pgtest';

/** The folder holding initdb and pg_ctl, or undefined when PostgreSQL is not installed. */
export function findPostgresBin() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  return binDirs.find((dir) => fs.existsSync(path.join(dir, 'initdb')));
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function ensureClusterUser() {
  if (spawnSync('id', ['-u', clusterUser], { stdio: 'ignore' }).status === 0) return;
  const made = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', clusterUser], { encoding: 'utf8' });
  // Two test runs may race to create it.
  if (made.status !== 0 && spawnSync('id', ['-u', clusterUser], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`Could not create the system user "${clusterUser}" for PostgreSQL: ${made.stderr.trim()}`);
  }
}

/** Run a PostgreSQL tool as the cluster's owner (ourselves unless we are root). */
function runAsOwner(file, args) {
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', clusterUser, '--', file, ...args]] : [file, args];
  const result = spawnSync(cmd, argv, { encoding: 'utf8', cwd: '/' });
  if (result.status !== 0) {
    throw new Error(`${path.basename(file)} failed (exit ${result.status}): ${(result.stderr || result.stdout).trim()}`);
  }
  return result.stdout;
}

/** Every folder from `dir` up to / must be traversable by the cluster's owner. */
function allowTraversal(dir) {
  for (let d = path.dirname(dir); d !== path.dirname(d); d = path.dirname(d)) {
    const mode = fs.statSync(d).mode;
    if ((mode & 0o001) === 0) {
      // Search (x) only, not read: others can pass through but not list the folder.
      console.warn(`[postgres] letting the "${clusterUser}" user pass through ${d} (chmod o+x) so PostgreSQL can reach its data folder`);
      fs.chmodSync(d, (mode & 0o7777) | 0o001);
    }
  }
}

/**
 * Create (first time) and start a cluster in `dir` (its data in dir/data, its log in dir/postgres.log,
 * its password in dir/password), listening on 127.0.0.1:`port`. Returns the URL of the `postgres`
 * database and a stop function. A cluster already in `dir` is reused.
 */
export function startPostgresCluster({ dir, port, fast = false }) {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed. Install it with: apt-get install postgresql');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const dataDir = path.join(dir, 'data');
  const passwordFile = path.join(dir, 'password');
  const logFile = path.join(dir, 'postgres.log');
  if (isRoot()) {
    ensureClusterUser();
    allowTraversal(dir);
    execFileSync('chown', [clusterUser, dir]);
  }
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
    if (isRoot()) execFileSync('chown', [clusterUser, passwordFile]);
    // C collation: text sorts by bytes, as in SQLite, so lists page in the same order on both.
    runAsOwner(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${passwordFile}`, '--locale=C', '--encoding=UTF8', '--no-sync']);
  }
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    '-c max_connections=200',
    // Tests throw the cluster away afterwards: durability on disk buys them nothing.
    ...(fast ? ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'] : []),
  ].join(' ');
  // A server left running by an earlier start that was killed outright: stop it, then start afresh.
  if (spawnSync(isRoot() ? 'runuser' : path.join(bin, 'pg_ctl'), isRoot() ? ['-u', clusterUser, '--', path.join(bin, 'pg_ctl'), '-D', dataDir, 'status'] : ['-D', dataDir, 'status'], { stdio: 'ignore', cwd: '/' }).status === 0) {
    runAsOwner(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
  }
  runAsOwner(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
  const password = fs.readFileSync(passwordFile, 'utf8').trim();
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    logFile,
    /** Stop the server (fast shutdown: open sessions are ended). */
    stop(mode = 'fast') {
      runAsOwner(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
    },
    /** Start it again after stop(). */
    restart() {
      runAsOwner(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
    },
  };
}
