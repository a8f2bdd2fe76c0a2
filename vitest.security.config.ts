import { defineConfig } from 'vitest/config';

// `npm run test:security`: the security and reliability suite (SECURITY.md). Files run one at a
// time: several start the whole stack and some measure responsiveness under load. The access-control
// matrix and the property-based bad-input fuzzing run again with the BFF on PostgreSQL.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    projects: [
      { extends: true, test: { name: 'security', include: ['security/**/*.test.ts', 'apps/*/test/**/*.security.ts'] } },
      {
        extends: true,
        test: {
          name: 'security-postgres',
          include: ['apps/bff/test/access-matrix.security.ts', 'security/bad-input.test.ts'],
          env: { RC_TEST_DATABASE: 'postgres' },
          globalSetup: ['test-support/postgres-global-setup.ts'],
        },
      },
    ],
  },
});
