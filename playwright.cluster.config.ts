import { defineConfig } from '@playwright/test';
import base, { e2eDataDir, e2ePorts } from './playwright.config.ts';

// End-to-end tests of the cluster shape: the stack started exactly as `npm run start:cluster`
// starts it (throwaway PostgreSQL, 3 BFF instances behind HAProxy), on this run's test ports
// (PORT = e2ePorts.bff, the instances on PORT+10..12). Specs are e2e/cluster/*.cluster.ts, so the
// single-instance run (playwright.config.ts) does not pick them up.
export default defineConfig({
  ...base,
  testDir: 'e2e/cluster',
  testMatch: '**/*.cluster.ts',
  timeout: 120_000,
  webServer: {
    command: `rm -rf ${e2eDataDir} && node scripts/start-cluster.mjs`,
    url: `http://localhost:${e2ePorts.runner}/healthz`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
    // start:cluster stops its services and PostgreSQL on SIGTERM (SIGKILL, the default, would leave
    // PostgreSQL running: pg_ctl detaches it).
    gracefulShutdown: { signal: 'SIGTERM', timeout: 30_000 },
    env: {
      PORT: String(e2ePorts.bff),
      RUNNER_PORT: String(e2ePorts.runner),
      BITBUCKET_PORT: String(e2ePorts.bitbucket),
      GITHUB_PORT: String(e2ePorts.github),
      GITLAB_PORT: String(e2ePorts.gitlab),
      BITBUCKET_DC_PORT: String(e2ePorts.bitbucketDc),
      AZURE_DEVOPS_PORT: String(e2ePorts.azureDevops),
      ENTRA_PORT: String(e2ePorts.entra),
      DATA_DIR: e2eDataDir,
      LOG_LEVEL: 'info',
    },
  },
});
