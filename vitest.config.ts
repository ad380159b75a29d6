import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Suites start real servers on 127.0.0.1:0; forks keep native modules (better-sqlite3) isolated.
    pool: 'forks',
    maxWorkers: 2,
  },
});
