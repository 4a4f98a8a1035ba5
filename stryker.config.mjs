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
    // What decides a verdict: SD-JWT, JOSE, time claims, status lists, the QR transport, the verifier.
    'core/sd-jwt/{verify,key-binding,sd-hash,disclosures,parse,claim-tree,decode}.ts',
    'core/jose/{verify,claims,decode,alg}.ts',
    'core/status/*.ts',
    'core/qr/transport.ts',
    'verifier/verify.ts',
    'verifier/status/*.ts',
    'verifier/replay/*.ts',
    // HAIP and OAuth: PKCE, DPoP, wallet attestation, x509 client ids, the admin bearer token.
    'core/oauth/{pkce,dpop,client-attestation}.ts',
    'core/oid4vp/client-id.ts',
    'core/http/bearer-auth.ts',
    // The issuer's OpenID4VCI token, c_nonce, DPoP nonce and key proof rules.
    'issuer/oid4vci/{proof,nonce,dpop,token}.ts',
    // What guards the wallet's secrets, and its checks of a verifier's request.
    'core/crypto/seal.ts',
    'holder/crypto/*.ts',
    'holder/oid4vp/{validate-request,request-object,parse-uri}.ts',
    // Storage faults: their typing, the issuer store's write health, its probe and its transactions.
    'core/storage-errors.ts',
    'issuer/store/{health,probe,transaction}.ts',
    // Redis: the connection, the verifier's shared state, the issuer's OpenID4VCI state.
    'core/cache/redis-connection.ts',
    'verifier/state/redis.ts',
    'issuer/oid4vci/state/redis.ts',
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
  // Below 90 % killed the run exits 1 (the target; .ci/run runs it on every change).
  thresholds: { high: 95, low: 90, break: 90 },
};
