import { defineConfig } from 'vitest/config';

// Vite would pick graphql's ESM build while @apollo/* require its CommonJS one; two copies
// of graphql cannot share a schema. Node itself resolves the CommonJS build for both.
const resolve = { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] };

export default defineConfig({
  test: {
    // Two cores: the stack files run two at a time (each starts its own stack).
    maxWorkers: 2,
    projects: [
      {
        resolve,
        test: {
          // Pure logic, beside the code it tests: no database, no network, seconds for all of them.
          name: 'unit',
          include: ['{gateway,shield,subgraphs,platform,seed,scripts,stack,bench,reporting}/**/*.test.ts'],
          pool: 'threads',
        },
      },
      {
        resolve,
        test: {
          // The acceptance layer: each file starts its own stack on its own databases; two cores, so two at a time.
          name: 'stack',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
