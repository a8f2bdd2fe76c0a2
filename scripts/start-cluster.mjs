// `npm run start:cluster`: the "several machines" shape on one machine. A PostgreSQL database
// (a throwaway cluster in DATA_DIR/postgres unless DATABASE_URL is given), three BFF instances on
// loopback ports PORT+10..PORT+12, HAProxy on PORT balancing them round robin with health checks
// on /healthz (no stickiness: event streams and runner links work on any instance), and the Local
// runner and the Bitbucket emulator as `npm start` runs them. Same seed data, same URLs.
// A BFF instance that dies is started again (the others carry on meanwhile); Ctrl-C stops all.
/* global AbortSignal */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { buildServicesIfStale, newestMtime, serviceCommand } from './build-services.mjs';
import { startPostgresCluster } from './postgres-cluster.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const instances = 3;

function port(name, fallback) {
  const raw = env[name] ?? String(fallback);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    console.error(`${name} must be a port number between 1 and 65535 (got "${raw}").`);
    process.exit(1);
  }
  return n;
}

const ports = { lb: port('PORT', 8080), runner: port('RUNNER_PORT', 8081), bitbucket: port('BITBUCKET_PORT', 8082) };
const bffPorts = Array.from({ length: instances }, (_, i) => ports.lb + 10 + i);
if (bffPorts.at(-1) > 65535) {
  console.error(`PORT must leave room for the instances on PORT+10..PORT+${9 + instances}.`);
  process.exit(1);
}
const pgPort = port('PG_PORT', ports.lb + 20);
const dataDir = path.resolve(root, env.DATA_DIR ?? '.data');
const logDir = path.join(dataDir, 'logs');
const runDir = path.join(dataDir, 'cluster');
fs.mkdirSync(logDir, { recursive: true, mode: 0o700 });
fs.mkdirSync(runDir, { recursive: true, mode: 0o700 });

const urls = {
  dashboard: `http://localhost:${ports.lb}`,
  runner: `http://localhost:${ports.runner}`,
  bitbucket: `http://localhost:${ports.bitbucket}`,
};

// The local runner's token lives in the data folder (as with `npm start`), so a second start reuses it.
const tokenFile = path.join(dataDir, 'local-runner.token');
if (!fs.existsSync(tokenFile)) fs.writeFileSync(tokenFile, `rct_${randomBytes(32).toString('base64url')}`, { mode: 0o600 });
const localRunnerToken = fs.readFileSync(tokenFile, 'utf8').trim();

const shortPath = (p) => {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
};

function buildDashboardIfStale() {
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

const children = new Map();
let stopping = false;
let postgres;

/** Start a process; `onExit` decides what its unexpected end means (default: stop everything). */
function start(name, command, args, childEnv, onExit) {
  const log = fs.openSync(path.join(logDir, `${name}.log`), 'a');
  const child = spawn(command, args, { cwd: root, env: { ...env, ...childEnv }, stdio: ['ignore', log, 'pipe'] });
  child.stderr.on('data', (chunk) => {
    fs.writeSync(log, chunk);
    process.stderr.write(`[${name}] ${chunk}`);
  });
  child.on('exit', (code, signal) => {
    fs.closeSync(log);
    if (children.get(name) === child) children.delete(name);
    if (stopping) return;
    const why = signal ?? `exit code ${code}`;
    if (onExit) return onExit(why);
    console.error(`\n${name} stopped unexpectedly (${why}). Its log: ${shortPath(path.join(logDir, `${name}.log`))}`);
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
  if (postgres) {
    try {
      postgres.stop('fast');
    } catch (err) {
      console.error(`Stopping PostgreSQL failed: ${err.message}`);
    }
  }
  process.exit(code);
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

/** DATABASE_URL, or the throwaway cluster's `runner_console` database (created on first start). */
async function databaseUrl() {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, shown: redact(env.DATABASE_URL) };
  const dir = path.join(dataDir, 'postgres');
  try {
    postgres = startPostgresCluster({ dir, port: pgPort });
  } catch (err) {
    console.error(`PostgreSQL did not start: ${err.message}\nIts log: ${shortPath(path.join(dir, 'postgres.log'))}`);
    process.exit(1);
  }
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  const exists = await admin.query(`select 1 from pg_database where datname = 'runner_console'`);
  if (exists.rowCount === 0) await admin.query('create database runner_console');
  await admin.end();
  const url = new URL(postgres.url);
  url.pathname = '/runner_console';
  return { url: url.toString(), shown: `${redact(url.toString())}  (data in ${shortPath(dir)})` };
}

function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(DATABASE_URL is not a URL)';
  }
}

function haproxyConfig() {
  const servers = bffPorts.map((p, i) => `  server bff-${i + 1} 127.0.0.1:${p} check inter 1s fall 2 rise 1`).join('\n');
  // Event streams and runner links are long-lived: client/server/tunnel timeouts are long. A request
  // that cannot connect to an instance (it just died) is sent to another one (redispatch); one that
  // was in flight on it is not retried, since it may have been applied.
  // http-no-delay: without it HAProxy sends a small response chunk with MSG_MORE and the kernel
  // holds it for about 200 ms waiting for more; a server event (a Connect result) is one small chunk.
  return `# Written by scripts/start-cluster.mjs on every start.
global
  maxconn 4096

defaults
  mode http
  option forwardfor
  option redispatch
  option http-no-delay
  retries 3
  timeout connect 1s
  timeout client 1h
  timeout server 1h
  timeout tunnel 1h
  timeout http-keep-alive 65s
  timeout check 1s

frontend dashboard
  bind 127.0.0.1:${ports.lb}
  default_backend bff

backend bff
  balance roundrobin
  # Which instance answered: for people looking at the cluster, and for its end-to-end tests.
  http-response set-header X-Served-By %[srv_name]
  option httpchk GET /healthz
  http-check expect status 200
${servers}
`;
}

if (env.SKIP_WEB_BUILD !== '1') buildDashboardIfStale();
await buildServicesIfStale().catch((err) => {
  console.error(`Building the services failed: ${err.message}`);
  process.exit(1);
});

const haproxyBin = env.HAPROXY_BIN ?? '/usr/sbin/haproxy';
if (!fs.existsSync(haproxyBin)) {
  console.error('HAProxy is not installed. Install it with: apt-get install haproxy (or set HAPROXY_BIN).');
  process.exit(1);
}

const database = await databaseUrl();
const shared = { DATA_DIR: dataDir, LOG_LEVEL: env.LOG_LEVEL ?? 'info' };
const bitbucketEnv = { BITBUCKET_URL: urls.bitbucket, BITBUCKET_API_URL: urls.bitbucket };

start('bitbucket-emulator', process.execPath, serviceCommand('bitbucket-emulator'), { ...shared, BITBUCKET_PORT: String(ports.bitbucket) });

function startBffInstance(i) {
  const name = `bff-${i + 1}`;
  const child = start(
    name,
    process.execPath,
    serviceCommand('bff'),
    {
      ...shared,
      PORT: String(bffPorts[i]),
      HOST: '127.0.0.1',
      // Browsers, runners and OAuth redirects use the load balancer's address, whichever instance answers.
      PUBLIC_URL: urls.dashboard,
      DATABASE_URL: database.url,
      LOCAL_RUNNER_TOKEN: localRunnerToken,
      ...bitbucketEnv,
    },
    (why) => {
      console.error(`\n${name} stopped (${why}); the other instances carry on. Starting it again…`);
      setTimeout(() => {
        if (!stopping) startBffInstance(i);
      }, 1_000);
    },
  );
  fs.writeFileSync(path.join(runDir, `${name}.pid`), String(child.pid));
}
for (let i = 0; i < instances; i++) startBffInstance(i);

fs.writeFileSync(path.join(runDir, 'haproxy.cfg'), haproxyConfig());
await Promise.all([
  waitFor('bitbucket-emulator', `${urls.bitbucket}/_emulator/health`),
  ...bffPorts.map((p, i) => waitFor(`bff-${i + 1}`, `http://127.0.0.1:${p}/healthz`)),
]);
start('haproxy', haproxyBin, ['-db', '-f', path.join(runDir, 'haproxy.cfg')], {});
await waitFor('haproxy', `http://127.0.0.1:${ports.lb}/healthz`);

start('runner', process.execPath, serviceCommand('runner'), {
  ...shared,
  RUNNER_TOKEN: localRunnerToken,
  BFF_URL: env.RUNNER_BFF_URL ?? urls.dashboard,
  RUNNER_PORT: String(ports.runner),
  ...bitbucketEnv,
});
await waitFor('runner', `${urls.runner}/healthz`);

console.log(`
Runner Console is running as a cluster.

  Dashboard           ${urls.dashboard}  (HAProxy, round robin over ${instances} BFF instances)
  BFF instances       ${bffPorts.map((p) => `http://127.0.0.1:${p}`).join('  ')}
  Database            ${database.shown}
  Local runner        ${urls.runner}
  Bitbucket emulator  ${urls.bitbucket}
  Data folder         ${shortPath(dataDir)}  (logs in ${shortPath(logDir)})

  Sign in as  admin@acme.test / admin   (org admin of Acme)
          or  dev@acme.test / dev       (member)
  Bitbucket emulator user: alice / alice

Press Ctrl-C to stop.
`);
