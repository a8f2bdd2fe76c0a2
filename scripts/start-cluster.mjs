// `npm run start:cluster`: the "several machines" shape on one machine. A PostgreSQL database
// (a throwaway cluster in DATA_DIR/postgres unless DATABASE_URL is given), three BFF instances on
// loopback ports PORT+10..PORT+12 (their Prometheus metrics on PORT+13..PORT+15), HAProxy on PORT
// balancing them round robin with health checks on /readyz (no stickiness: event streams and runner
// links work on any instance), and the Local runner and the Bitbucket, GitHub and GitLab emulators as `npm start` runs
// them. Same seed data, same URLs.
// A BFF instance that stops is started again (the others carry on meanwhile); SIGTERM to one drains
// it first (docs/deploying.md). Ctrl-C stops all.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { buildServicesIfStale, serviceCommand } from './build-services.mjs';
import { buildDashboardIfStale, createSupervisor, localRunnerToken as readLocalRunnerToken, port as readPort, root, shortPath } from './local-stack.mjs';
import { startPostgresCluster } from './postgres-cluster.mjs';

const env = process.env;
const instances = 3;
const port = (name, fallback) => readPort(env, name, fallback);

const ports = { lb: port('PORT', 8080), runner: port('RUNNER_PORT', 8081), bitbucket: port('BITBUCKET_PORT', 8082), github: port('GITHUB_PORT', 8083), gitlab: port('GITLAB_PORT', 8084), azureDevops: port('AZURE_DEVOPS_PORT', 8085), entra: port('ENTRA_PORT', 8086), bitbucketDc: port('BITBUCKET_DC_PORT', 8087) };
const bffPorts = Array.from({ length: instances }, (_, i) => ports.lb + 10 + i);
const metricsPorts = Array.from({ length: instances }, (_, i) => ports.lb + 10 + instances + i);
if (metricsPorts.at(-1) > 65535) {
  console.error(`PORT must leave room for the instances on PORT+10..PORT+${9 + 2 * instances}.`);
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
  github: `http://localhost:${ports.github}`,
  gitlab: `http://localhost:${ports.gitlab}`,
  bitbucketDc: `http://localhost:${ports.bitbucketDc}`,
  azureDevops: `http://localhost:${ports.azureDevops}`,
  entra: `http://localhost:${ports.entra}`,
};

// The same token file as `npm start`, so a second start reuses it.
const localRunnerToken = readLocalRunnerToken(dataDir);

let postgres;
const supervisor = createSupervisor({
  env,
  logDir,
  afterStop() {
    if (!postgres) return;
    try {
      postgres.stop('fast');
    } catch (err) {
      console.error(`Stopping PostgreSQL failed: ${err.message}`);
    }
  },
});
const { start, waitFor } = supervisor;

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

/** How often HAProxy asks each instance's /readyz, and how many failures take it out. */
const checkIntervalMs = 500;
const checkFall = 2;

function haproxyConfig() {
  const servers = bffPorts.map((p, i) => `  server bff-${i + 1} 127.0.0.1:${p} check inter ${checkIntervalMs}ms fall ${checkFall} rise 2`).join('\n');
  // Event streams and runner links are long-lived: client/server/tunnel timeouts are long.
  // No request fails while an instance restarts or dies (docs/deploying.md):
  // - one that cannot connect to an instance (it just died) goes to another (retries, redispatch on
  //   every retry);
  // - one that was in flight on an instance that died (the connection closed with no answer) is
  //   sent again to another, when it is safe to do twice: a GET or HEAD, or a write carrying an
  //   Idempotency-Key (the BFF answers a repeat with the first answer). HAProxy's L7 retries ignore
  //   the method, so every other write is excluded with disable-l7-retry. A request larger than
  //   HAProxy's buffer (tune.bufsize, 16 kB) is never retried;
  // - an instance told SIGTERM answers /readyz 503 for DRAIN_DELAY_MS while still serving, so the
  //   checks take it out before it stops listening.
  // http-no-delay: without it HAProxy sends a small response chunk with MSG_MORE and the kernel
  // holds it for about 200 ms waiting for more; a server event (a Connect result) is one small chunk.
  return `# Written by scripts/start-cluster.mjs on every start.
global
  maxconn 4096

defaults
  mode http
  option forwardfor
  option redispatch 1
  option http-no-delay
  retries 3
  retry-on conn-failure empty-response response-timeout
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
  acl safe_to_repeat method GET HEAD
  acl has_idempotency_key req.hdr(idempotency-key) -m found
  http-request disable-l7-retry unless safe_to_repeat || has_idempotency_key
  option httpchk GET /readyz
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
start('github-emulator', process.execPath, serviceCommand('github-emulator'), { ...shared, GITHUB_PORT: String(ports.github) });
start('gitlab-emulator', process.execPath, serviceCommand('gitlab-emulator'), { ...shared, GITLAB_PORT: String(ports.gitlab) });
start('bitbucket-dc-emulator', process.execPath, serviceCommand('bitbucket-dc-emulator'), { ...shared, BITBUCKET_DC_PORT: String(ports.bitbucketDc) });
start('azure-devops-emulator', process.execPath, serviceCommand('azure-devops-emulator'), { ...shared, AZURE_DEVOPS_PORT: String(ports.azureDevops), ENTRA_PORT: String(ports.entra) });

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
      // HAProxy is the one proxy hop: it appends the client's address to X-Forwarded-For.
      TRUST_PROXY: '1',
      DATABASE_URL: database.url,
      METRICS_PORT: String(metricsPorts[i]),
      METRICS_HOST: '127.0.0.1',
      // Long enough for HAProxy's checks to take a draining instance out (fall × inter, plus margin).
      DRAIN_DELAY_MS: String(checkIntervalMs * checkFall + 1_000),
      LOCAL_RUNNER_TOKEN: localRunnerToken,
      ...bitbucketEnv,
    },
    {
      onExit(why) {
        console.error(`\n${name} stopped (${why}); the other instances carry on. Starting it again…`);
        setTimeout(() => {
          if (!supervisor.isStopping()) startBffInstance(i);
        }, 1_000);
      },
    },
  );
  fs.writeFileSync(path.join(runDir, `${name}.pid`), String(child.pid));
}
for (let i = 0; i < instances; i++) startBffInstance(i);

fs.writeFileSync(path.join(runDir, 'haproxy.cfg'), haproxyConfig());
await Promise.all([
  waitFor('bitbucket-emulator', `${urls.bitbucket}/_emulator/health`),
  waitFor('github-emulator', `${urls.github}/_emulator/health`),
  waitFor('gitlab-emulator', `${urls.gitlab}/_emulator/health`),
  waitFor('bitbucket-dc-emulator', `${urls.bitbucketDc}/_emulator/health`),
  waitFor('azure-devops-emulator', `${urls.azureDevops}/_emulator/health`),
  waitFor('entra-emulator', `${urls.entra}/_emulator/health`),
  ...bffPorts.map((p, i) => waitFor(`bff-${i + 1}`, `http://127.0.0.1:${p}/readyz`)),
]);
start('haproxy', haproxyBin, ['-db', '-f', path.join(runDir, 'haproxy.cfg')], {});
await waitFor('haproxy', `http://127.0.0.1:${ports.lb}/healthz`);

start('runner', process.execPath, serviceCommand('runner'), {
  ...shared,
  RUNNER_TOKEN: localRunnerToken,
  BFF_URL: env.RUNNER_BFF_URL ?? urls.dashboard,
  RUNNER_PORT: String(ports.runner),
  ...bitbucketEnv,
  // As `npm start`: the runner reaches github.com and gitlab.com at their emulators, and
  // bitbucket.acme.test at the Bitbucket Data Center emulator.
  PROVIDER_ENDPOINTS: [
    `github.com=${urls.github}`,
    `gitlab.com=${urls.gitlab}`,
    `dev.azure.com=${urls.azureDevops}`,
    `app.vssps.visualstudio.com=${urls.azureDevops}`,
    `login.microsoftonline.com=${urls.entra}`,
    `tfs.acme.test=${urls.azureDevops}`,
    `bitbucket.acme.test=${urls.bitbucketDc}`,
  ].join(' '),
});
await waitFor('runner', `${urls.runner}/healthz`);

console.log(`
Runner Console is running as a cluster.

  Dashboard           ${urls.dashboard}  (HAProxy, round robin over ${instances} BFF instances)
  BFF instances       ${bffPorts.map((p) => `http://127.0.0.1:${p}`).join('  ')}
  Metrics             ${metricsPorts.map((p) => `http://127.0.0.1:${p}/metrics`).join('  ')}
  Database            ${database.shown}
  Local runner        ${urls.runner}
  Bitbucket emulator  ${urls.bitbucket}
  GitHub emulator     ${urls.github}  (REST API ${urls.github}/api/v3)
  GitLab emulator     ${urls.gitlab}  (REST API ${urls.gitlab}/api/v4)
  Bitbucket Data Center emulator  ${urls.bitbucketDc}  (stands for bitbucket.acme.test)
  Azure DevOps        ${urls.azureDevops}  (Entra ID emulator ${urls.entra}, tenant acme)
  Data folder         ${shortPath(dataDir)}  (logs in ${shortPath(logDir)})

  Sign in as  admin@acme.test / admin   (org admin of Acme)
          or  dev@acme.test / dev       (member)
  Bitbucket, GitHub, GitLab, Bitbucket Data Center and Azure DevOps emulator user: alice / alice

Press Ctrl-C to stop.
`);
