// The tests StrykerJS runs against each mutant (npm run test:mutation, stryker.config.mjs): the fast
// ones that exercise the verdict and secret-guarding code in this process. A mutant no test kills
// runs every test that covers it, so each test here is paid once per such mutant: tests that spawn
// the built CLI (dist/, a mutant of the sources cannot reach it) and those that start servers per
// test (the HTTP-level OpenID4VCI and JSON-depth tests: minutes per mutant on 2 cores) are left out.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/core/{jose,jose-rules,jwt-claims,oauth,sd-jwt-parse,sd-jwt-disclosures,sd-jwt-sd-hash,sd-jwt-rules,seal,client-id,client-attestation,bearer-auth,storage-errors-rules,redis-connection-rules}.test.ts',
      'test/vectors/*.test.ts',
      'test/verifier/{mutations,pipeline,rfc-rules,vectors,replay-cache,nonce-store,status-binding,w3c,peer-minted,no-network,verify-rules,redis-state-rules}.test.ts',
      'test/status/{codec,binding}.test.ts',
      'test/holder/{pin,qr-transport,crypto-rules}.test.ts',
      'test/oid4vp/{wallet-request,request-rules}.test.ts',
      // The issuer's OpenID4VCI rules called in-process (one issuer per file, no HTTP server).
      'test/oid4vci/{proof,nonce-dpop,token,redis-state}-rules.test.ts',
      // Storage faults of the issuer store, on a real SQLite file.
      'test/issuer-store/health-rules.test.ts',
    ],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 1,
  },
});
