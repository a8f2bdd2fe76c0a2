// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.data/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Imports go one way (docs/ARCHITECTURE.md › Import rules): packages never import apps, apps never import each other,
      // and inside the SPA, app/ -> features/ -> components/ + lib/.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './packages', from: './apps', message: 'Packages never import apps.' },
            { target: './apps/web', from: ['./apps/bff', './apps/runner', './apps/bitbucket-emulator'], message: 'Apps never import each other.' },
            { target: './apps/bff', from: ['./apps/web', './apps/runner', './apps/bitbucket-emulator'], message: 'Apps never import each other.' },
            { target: './apps/runner', from: ['./apps/web', './apps/bff', './apps/bitbucket-emulator'], message: 'Apps never import each other.' },
            { target: './apps/bitbucket-emulator', from: ['./apps/web', './apps/bff', './apps/runner'], message: 'Apps never import each other.' },
            { target: './apps/web/src/features', from: './apps/web/src/app', message: 'Nothing imports the composition root.' },
            { target: ['./apps/web/src/components', './apps/web/src/lib'], from: ['./apps/web/src/features', './apps/web/src/app'], message: 'Shared code does not import features.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/test/**/*.ts', '**/*.test.ts', 'e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Every spec runs under the layout guard of e2e/fixtures.ts (no sideways scroll, nothing outside
    // an open dialog): it takes `test` and `expect` from there.
    files: ['e2e/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@playwright/test',
              importNames: ['test', 'expect'],
              message: "Import test and expect from './fixtures.ts', so the spec runs under the layout guard.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', '*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly' } },
  },
);
