// `npm start`: build the dashboard if needed, then start the Bitbucket emulator, the BFF (serving the
// SPA) and "Local runner", each as its own process, and stop them all on Ctrl-C.
// `npm run dev`: the same, with Vite's dev server (hot reload) in front of the BFF.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServicesIfStale, newestMtime, serviceCommand, services } from './build-services.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dev = process.argv.includes('--dev');
const env = process.env;

function port(name, fallback) {
  const raw = env[name] ?? String(fallback);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    console.error(`${name} must be a port number between 1 and 65535 (got "${raw}").`);
    process.exit(1);
  }
  return n;
}

const ports = { bff: port('PORT', 8080), runner: port('RUNNER_PORT', 8081), bitbucket: port('BITBUCKET_PORT', 8082) };
const dataDir = path.resolve(root, env.DATA_DIR ?? '.data');
const logDir = path.join(dataDir, 'logs');
fs.mkdirSync(logDir, { recursive: true, mode: 0o700 });

const urls = {
  bff: `http://localhost:${ports.bff}`,
  runner: `http://localhost:${ports.runner}`,
  bitbucket: `http://localhost:${ports.bitbucket}`,
};

// The local runner's token lives in the data folder, so a second start reuses it.
const tokenFile = path.join(dataDir, 'local-runner.token');
if (!fs.existsSync(tokenFile)) {
  fs.writeFileSync(tokenFile, `rct_${randomBytes(32).toString('base64url')}`, { mode: 0o600 });
}
const localRunnerToken = fs.readFileSync(tokenFile, 'utf8').trim();

function shortPath(p) {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}

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

const children = [];
let stopping = false;

// `npm start` runs each service's esbuild bundle with plain node (scripts/build-services.mjs);
// `npm run dev` runs the TypeScript sources through tsx, so an edit needs only a restart.
function start(name, childEnv) {
  const log = fs.openSync(path.join(logDir, `${name}.log`), 'a');
  const args = dev ? ['--import', 'tsx', services[name].entry] : serviceCommand(name);
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...env, ...childEnv },
    stdio: ['ignore', log, 'pipe'],
  });
  child.stderr.on('data', (chunk) => {
    fs.writeSync(log, chunk);
    process.stderr.write(`[${name}] ${chunk}`);
  });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`\n${name} stopped unexpectedly (${signal ?? `exit code ${code}`}). Its log: ${path.relative(process.cwd(), path.join(logDir, `${name}.log`))}`);
    stopAll(1);
  });
  children.push({ name, child });
  return child;
}

async function waitFor(name, url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  console.error(`${name} did not start within ${timeoutMs / 1000} s. See ${path.join(logDir, `${name}.log`)}.`);
  stopAll(1);
}

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      ({ child }) =>
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
  process.exit(code);
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

// SKIP_WEB_BUILD=1 is for API-only test stacks that never open the dashboard.
if (!dev && env.SKIP_WEB_BUILD !== '1') buildDashboardIfStale();
// `npm run dev` runs the sources, but the BFF still serves the installable runner file.
await buildServicesIfStale(dev ? ['runner'] : undefined).catch((err) => {
  console.error(`Building the services failed: ${err.message}`);
  process.exit(1);
});

const shared = { DATA_DIR: dataDir, LOG_LEVEL: env.LOG_LEVEL ?? 'info' };
const bitbucketEnv = { BITBUCKET_URL: urls.bitbucket, BITBUCKET_API_URL: urls.bitbucket };

start('bitbucket-emulator', { ...shared, BITBUCKET_PORT: String(ports.bitbucket) });
start('bff', { ...shared, PORT: String(ports.bff), LOCAL_RUNNER_TOKEN: localRunnerToken, ...bitbucketEnv });
await Promise.all([waitFor('bitbucket-emulator', `${urls.bitbucket}/_emulator/health`), waitFor('bff', `${urls.bff}/healthz`)]);
start('runner', {
  ...shared,
  RUNNER_TOKEN: localRunnerToken,
  // Tests may put a recording proxy between the runner and the BFF.
  BFF_URL: env.RUNNER_BFF_URL ?? urls.bff,
  RUNNER_PORT: String(ports.runner),
  ...bitbucketEnv,
});
await waitFor('runner', `${urls.runner}/healthz`);

let dashboardUrl = urls.bff;
if (dev) {
  const vitePort = port('VITE_PORT', 5173);
  const vite = spawn('npx', ['vite', '--port', String(vitePort), '--strictPort'], {
    cwd: path.join(root, 'apps/web'),
    env: { ...env, BFF_URL: urls.bff },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push({ name: 'vite', child: vite });
  dashboardUrl = `http://localhost:${vitePort}`;
  await waitFor('vite', dashboardUrl);
}

console.log(`
Runner Console is running.${dev ? ' (dev: hot reload)' : ''}

  Dashboard           ${dashboardUrl}
  Local runner        ${urls.runner}
  Bitbucket emulator  ${urls.bitbucket}
  Data folder         ${shortPath(dataDir)}  (logs in ${shortPath(logDir)})

  Sign in as  admin@acme.test / admin   (org admin of Acme)
          or  dev@acme.test / dev       (member)
  Bitbucket emulator user: alice / alice

Press Ctrl-C to stop.
`);
