// The tests StrykerJS runs against each mutant (npm run test:mutation, stryker.config.mjs): the ones
// that exercise the verdict and secret-guarding code in this process. Tests that spawn the built
// CLI (dist/) are left out: a mutant of the sources cannot reach them, they would only cost time;
// so are the HTTP-level OpenID4VCI tests (a server per test: minutes per mutant on 2 cores).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/core/**/*.test.ts',
      'test/verifier/{mutations,pipeline,rfc-rules,vectors,replay-cache,nonce-store,status-binding,w3c,peer-minted,no-network,issuer-keys}.test.ts',
      'test/status/{codec,binding}.test.ts',
      'test/holder/{pin,qr-transport}.test.ts',
    ],
    exclude: ['test/core/json-depth-everywhere.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 1,
  },
});
