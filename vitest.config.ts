import { defineConfig } from 'vitest/config';

// One runner for unit, storage (SQLite and, with TEST_DATABASE_URL, PostgreSQL), API, CLI and browser tests.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'e2e/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
});
