import { defineConfig, devices } from '@playwright/test';

// End-to-end tests run against the whole stack, started exactly as `npm start` starts it, on test
// ports and a fresh data folder so they never collide with a running development stack.
export const e2ePorts = { bff: 18080, runner: 18081, bitbucket: 18082 };
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
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
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: {
    command: 'rm -rf .data/e2e && node scripts/start.mjs',
    url: `http://localhost:${e2ePorts.runner}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    env: {
      PORT: String(e2ePorts.bff),
      RUNNER_PORT: String(e2ePorts.runner),
      BITBUCKET_PORT: String(e2ePorts.bitbucket),
      DATA_DIR: '.data/e2e',
      LOG_LEVEL: 'info',
    },
  },
});
