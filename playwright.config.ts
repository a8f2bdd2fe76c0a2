import { defineConfig, devices } from '@playwright/test';

// End-to-end tests run against the whole stack, started exactly as `npm start` starts it, on test
// ports and a fresh data folder so they never collide with a running development stack.
// CI uses 18080-18084 and .data/e2e. Locally each run picks its own ports and data folder, so two
// runs side by side do not collide; workers inherit the choice through E2E_PORT_BASE.
const base = Number(process.env.E2E_PORT_BASE ?? (process.env.CI ? 18080 : 20000 + Math.floor(Math.random() * 400) * 10));
process.env.E2E_PORT_BASE = String(base);
export const e2ePorts = { bff: base, runner: base + 1, bitbucket: base + 2, github: base + 3, gitlab: base + 4, azureDevops: base + 5, entra: base + 6, bitbucketDc: base + 7 };
export const e2eDataDir = base === 18080 ? '.data/e2e' : `.data/e2e-${base}`;
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  // No retries: a test that fails now and then is a defect to find, not to retry into green.
  retries: 0,
  timeout: 60_000,
  // Screenshot baselines (e2e/*-snapshots/) are compared, never written, on CI; locally a missing
  // one is written (update them on purpose with --update-snapshots).
  updateSnapshots: process.env.CI ? 'none' : 'missing',
  expect: { timeout: 10_000, toHaveScreenshot: { animations: 'disabled', caret: 'hide', scale: 'css' } },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${e2ePorts.bff}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        // The same pixels on every run, for the screenshot comparisons.
        '--font-render-hinting=none',
        '--force-color-profile=srgb',
        '--disable-lcd-text',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: {
    command: `rm -rf ${e2eDataDir} && node scripts/start.mjs`,
    url: `http://localhost:${e2ePorts.runner}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
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
