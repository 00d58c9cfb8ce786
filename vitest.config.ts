import { defineConfig } from 'vitest/config';

// Three projects: `unit` needs nothing but Node; `integration` runs against the real Postgres and Redis
// of the machine (a fresh database per test file, cloned from a migrated template); `browser` does too,
// and drives the system Chromium.
export default defineConfig({
  test: {
    globals: false,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/conformance/**/*.test.ts'],
          globalSetup: ['tests/helpers/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Debian's Chromium (/usr/bin/chromium) driven by playwright-core; screenshots in tests/artifacts/browser/.
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/helpers/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
