import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores on CI: keep parallel workers modest so server tests are not starved.
    maxWorkers: 2,
    // npm run test:coverage: V8 coverage of the code in this process and its worker forks (the
    // CLI and server processes that tests spawn are not instrumented; docs/testing.md says so).
    coverage: {
      provider: 'v8',
      include: [
        'core/**/*.ts',
        'issuer/**/*.ts',
        'holder/**/*.ts',
        'verifier/**/*.ts',
        'schemas/**/*.ts',
        'cli/**/*.ts',
        'veramo/**/*.ts',
        'conformance/**/*.ts',
      ],
      exclude: ['**/web/**', '**/*.d.ts'],
      reporter: ['text-summary', 'text', 'html', 'json-summary'],
      reportsDirectory: 'coverage',
      // A report even when a test fails (one timeout on a loaded machine would otherwise leave none).
      reportOnFailure: true,
    },
  },
});
