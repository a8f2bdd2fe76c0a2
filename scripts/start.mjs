// `npm start`: build the dashboard if needed, then start the Bitbucket, GitHub, GitLab, Bitbucket Data Center and Azure DevOps (with Entra ID) emulators, the BFF (serving the
// SPA) and "Local runner", each as its own process, and stop them all on Ctrl-C.
// `npm run dev`: the same, with Vite's dev server (hot reload) in front of the BFF.
import fs from 'node:fs';
import path from 'node:path';
import { buildServicesIfStale, serviceCommand, services } from './build-services.mjs';
import { buildDashboardIfStale, createSupervisor, localRunnerToken as readLocalRunnerToken, port as readPort, root, shortPath } from './local-stack.mjs';

const dev = process.argv.includes('--dev');
const env = process.env;
// NODE_ENV=production: a real deployment's first start. No development seed, no Local runner and no
// emulator: the BFF starts on an empty organization and logs a one-time set-up code for /setup.
const production = env.NODE_ENV === 'production' && !dev;
const port = (name, fallback) => readPort(env, name, fallback);

const ports = {
  bff: port('PORT', 8080),
  runner: port('RUNNER_PORT', 8081),
  bitbucket: port('BITBUCKET_PORT', 8082),
  github: port('GITHUB_PORT', 8083),
  gitlab: port('GITLAB_PORT', 8084),
  azureDevops: port('AZURE_DEVOPS_PORT', 8085),
  entra: port('ENTRA_PORT', 8086),
  bitbucketDc: port('BITBUCKET_DC_PORT', 8087),
};
const dataDir = path.resolve(root, env.DATA_DIR ?? '.data');
const logDir = path.join(dataDir, 'logs');
fs.mkdirSync(logDir, { recursive: true, mode: 0o700 });

const urls = {
  bff: `http://localhost:${ports.bff}`,
  runner: `http://localhost:${ports.runner}`,
  bitbucket: `http://localhost:${ports.bitbucket}`,
  github: `http://localhost:${ports.github}`,
  gitlab: `http://localhost:${ports.gitlab}`,
  bitbucketDc: `http://localhost:${ports.bitbucketDc}`,
  azureDevops: `http://localhost:${ports.azureDevops}`,
  entra: `http://localhost:${ports.entra}`,
};

const localRunnerToken = production ? undefined : readLocalRunnerToken(dataDir);
const supervisor = createSupervisor({ env, logDir });
const { waitFor } = supervisor;

// `npm start` runs each service's esbuild bundle with plain node (scripts/build-services.mjs);
// `npm run dev` runs the TypeScript sources through tsx, so an edit needs only a restart.
function start(name, childEnv) {
  return supervisor.start(name, process.execPath, dev ? ['--import', 'tsx', services[name].entry] : serviceCommand(name), childEnv);
}

// SKIP_WEB_BUILD=1 is for API-only test stacks that never open the dashboard.
if (!dev && env.SKIP_WEB_BUILD !== '1') buildDashboardIfStale();
// `npm run dev` runs the sources, but the BFF still serves the installable runner file.
await buildServicesIfStale(dev ? ['runner'] : undefined).catch((err) => {
  console.error(`Building the services failed: ${err.message}`);
  process.exit(1);
});

const shared = { DATA_DIR: dataDir, LOG_LEVEL: env.LOG_LEVEL ?? 'info' };
const bitbucketEnv = { BITBUCKET_URL: urls.bitbucket, BITBUCKET_API_URL: urls.bitbucket };
// The runner reaches github.com at the GitHub emulator (its REST API under /api/v3, as GitHub
// Enterprise Server serves it), gitlab.com at the GitLab emulator (/api/v4), dev.azure.com (and its
// profile API's host) at the Azure DevOps emulator, and Microsoft Entra ID's authority at the Entra ID
// emulator. The Azure DevOps emulator also stands for an Azure DevOps Server at tfs.acme.test (its
// organization acme is the collection there). Bitbucket Data Center has no public host: its emulator
// stands for bitbucket.acme.test, the host an admin types for a Data Center integration.
const providerEndpoints = {
  PROVIDER_ENDPOINTS: [
    `github.com=${urls.github}`,
    `gitlab.com=${urls.gitlab}`,
    `dev.azure.com=${urls.azureDevops}`,
    `app.vssps.visualstudio.com=${urls.azureDevops}`,
    `login.microsoftonline.com=${urls.entra}`,
    `tfs.acme.test=${urls.azureDevops}`,
    `bitbucket.acme.test=${urls.bitbucketDc}`,
  ].join(' '),
};

if (production) {
  start('bff', { ...shared, PORT: String(ports.bff) });
  await waitFor('bff', `${urls.bff}/healthz`);
  await printProductionBanner();
} else {
  start('bitbucket-emulator', { ...shared, BITBUCKET_PORT: String(ports.bitbucket) });
  start('github-emulator', { ...shared, GITHUB_PORT: String(ports.github) });
  start('gitlab-emulator', { ...shared, GITLAB_PORT: String(ports.gitlab) });
  start('bitbucket-dc-emulator', { ...shared, BITBUCKET_DC_PORT: String(ports.bitbucketDc) });
  start('azure-devops-emulator', { ...shared, AZURE_DEVOPS_PORT: String(ports.azureDevops), ENTRA_PORT: String(ports.entra) });
  start('bff', { ...shared, PORT: String(ports.bff), LOCAL_RUNNER_TOKEN: localRunnerToken, ...bitbucketEnv });
  await Promise.all([
    waitFor('bitbucket-emulator', `${urls.bitbucket}/_emulator/health`),
    waitFor('github-emulator', `${urls.github}/_emulator/health`),
    waitFor('gitlab-emulator', `${urls.gitlab}/_emulator/health`),
    waitFor('bitbucket-dc-emulator', `${urls.bitbucketDc}/_emulator/health`),
    waitFor('azure-devops-emulator', `${urls.azureDevops}/_emulator/health`),
    waitFor('entra-emulator', `${urls.entra}/_emulator/health`),
    waitFor('bff', `${urls.bff}/healthz`),
  ]);
  start('runner', {
    ...shared,
    RUNNER_TOKEN: localRunnerToken,
    // Tests may put a recording proxy between the runner and the BFF.
    BFF_URL: env.RUNNER_BFF_URL ?? urls.bff,
    RUNNER_PORT: String(ports.runner),
    ...bitbucketEnv,
    ...providerEndpoints,
  });
  await waitFor('runner', `${urls.runner}/healthz`);

  let dashboardUrl = urls.bff;
  if (dev) {
    const vitePort = port('VITE_PORT', 5173);
    supervisor.start('vite', 'npx', ['vite', '--port', String(vitePort), '--strictPort'], { BFF_URL: urls.bff }, { cwd: path.join(root, 'apps/web'), logged: false });
    dashboardUrl = `http://localhost:${vitePort}`;
    await waitFor('vite', dashboardUrl);
  }

  console.log(`
Runner Console is running.${dev ? ' (dev: hot reload)' : ''}

  Dashboard           ${dashboardUrl}
  Local runner        ${urls.runner}
  Bitbucket emulator  ${urls.bitbucket}
  GitHub emulator     ${urls.github}  (REST API ${urls.github}/api/v3)
  GitLab emulator     ${urls.gitlab}  (REST API ${urls.gitlab}/api/v4)
  Bitbucket Data Center emulator  ${urls.bitbucketDc}  (stands for bitbucket.acme.test)
  Azure DevOps        ${urls.azureDevops}  (organization acme; Entra ID emulator ${urls.entra}, tenant acme;
                      as Azure DevOps Server: host tfs.acme.test, collection acme)
  Data folder         ${shortPath(dataDir)}  (logs in ${shortPath(logDir)})

  Sign in as  admin@acme.test / admin   (org admin of Acme)
          or  dev@acme.test / dev       (member)
  Bitbucket, GitHub, GitLab, Bitbucket Data Center and Azure DevOps emulator user: alice / alice

Press Ctrl-C to stop.
`);
}

/** The set-up code is in the BFF's log; it is shown here too, so the first admin need not look for it. */
async function printProductionBanner() {
  const bffLog = path.join(logDir, 'bff.log');
  const readLog = () => (fs.existsSync(bffLog) ? fs.readFileSync(bffLog, 'utf8') : '');
  // The BFF answers /healthz a moment before it has looked for users and logged the code.
  for (let i = 0; i < 100 && !readLog().includes('BFF listening'); i++) await new Promise((r) => setTimeout(r, 50));
  const codeLine = readLog().split('\n').reverse().find((line) => line.includes('set-up code'));
  let code;
  try {
    code = codeLine ? /set-up code: ([A-Z0-9-]+)/.exec(JSON.parse(codeLine).msg)?.[1] : undefined;
  } catch {
    code = undefined;
  }
  const next = code
    ? `  Set up          ${urls.bff}/setup  with the set-up code  ${code}
                  (also in ${shortPath(bffLog)}, on the line holding "set-up code")`
    : `  Sign in         ${urls.bff}  (set-up is done: accounts exist)`;
  console.log(`
Runner Console is running (production: no development seed, no Local runner).

  Dashboard       ${urls.bff}
${next}
  Data folder     ${shortPath(dataDir)}  (logs in ${shortPath(logDir)})

  Then add runners at Settings › Runners and invite people at Settings › Members.

Press Ctrl-C to stop.
`);
}
