// Mutation testing of the code that decides a verdict or guards a secret (issue 18; docs/testing.md).
// `npm run test:mutation` runs it incrementally: results of unchanged code and tests are reused from
// reports/mutation/stryker-incremental.json (committed), so only mutants of changed code run again.
// `npm run test:mutation -- --force` runs every mutant.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  mutate: [
    'core/sd-jwt/{verify,key-binding,sd-hash,disclosures,parse,claim-tree,decode}.ts',
    'core/jose/{verify,claims,decode,alg}.ts',
    'core/status/*.ts',
    'core/qr/transport.ts',
    'core/oauth/{pkce,dpop}.ts',
    'verifier/verify.ts',
    'verifier/status/*.ts',
    'verifier/replay/*.ts',
    'holder/crypto/backoff.ts',
    '!**/index.ts',
  ],
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  concurrency: 2,
  timeoutMS: 20000,
  dryRunTimeoutMinutes: 30,
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['dist', 'docs/api', 'coverage', 'reports', 'test-artifacts', '.netcred*', '*.sqlite*'],
  cleanTempDir: 'always',
  thresholds: { high: 95, low: 90, break: null },
};
