import { freePort, startLocalIssuer, type LocalIssuer, type LocalIssuerOptions } from '../../bench/fixtures.js';

/**
 * One way for every test to run the real issuer: SQLite in a temp dir, its HTTP app on
 * 127.0.0.1 with the public URL on that port. The implementation lives in bench/fixtures.ts
 * (benchmarks need it too and do not import test/); tests get fixed, non-secret defaults.
 */

export { freePort };

export const TEST_ISSUER_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const TEST_ISSUER_SECRET = 'test-secret-for-netcred-0123456789abcdef';

export type TestIssuer = LocalIssuer;

export function startIssuer(options: LocalIssuerOptions = {}): Promise<TestIssuer> {
  return startLocalIssuer({ adminToken: TEST_ISSUER_ADMIN_TOKEN, secret: TEST_ISSUER_SECRET, tmpPrefix: 'netcred-test-issuer-', ...options });
}
