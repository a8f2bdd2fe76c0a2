import { defineConfig } from 'vitest/config';

// `npm run test:security`: the security and reliability suite (SECURITY.md). Files run one at a
// time: several start the whole stack and some measure responsiveness under load.
export default defineConfig({
  test: {
    include: ['security/**/*.test.ts', 'apps/*/test/**/*.security.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
