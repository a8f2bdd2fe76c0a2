import { defineConfig } from 'vitest/config';

// Two projects: every test on the embedded SQLite database, and the BFF's store and service tests
// again on PostgreSQL (one throwaway cluster per run, a database per test file; see
// test-support/postgres-global-setup.ts). `npx vitest run --project sqlite <files>` runs one side.
const bffTests = ['apps/bff/src/**/*.test.ts', 'apps/bff/test/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one on the 2-core CI machine, which left a
    // core idle (a one-worker run used 213 s of CPU in 217 s). Two files at a time use both.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.{ts,tsx}', 'apps/*/test/**/*.test.ts', 'bench/**/*.test.ts'],
          // Several BFF instances need a shared database, and pg_dump needs PostgreSQL: PostgreSQL only.
          exclude: ['**/node_modules/**', 'apps/bff/test/cluster*.test.ts', 'apps/bff/test/postgres-*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: bffTests,
          // EXPLAIN QUERY PLAN is SQLite's; the plans checked there are for the embedded default.
          exclude: ['**/node_modules/**', 'apps/bff/test/query-plans.test.ts'],
          env: { RC_TEST_DATABASE: 'postgres' },
          globalSetup: ['test-support/postgres-global-setup.ts'],
        },
      },
    ],
  },
});
