import {
  initIssuer,
  startEphemeralIssuer,
  type EphemeralIssuer,
  type EphemeralIssuerOptions,
  type InitIssuerOptions,
  type IssuerContext,
} from '../../issuer/index.js';
import { tempDir } from './tmp.js';

/**
 * The one way tests start an issuer: the real one (SQLite in a temp dir, its agent and KMS), with
 * fixed, non-secret test defaults for the admin token and the secret. `secret: undefined` gives
 * an issuer whose secret is the generated key file, so the CLI opens its data dir without
 * NETCRED_SECRET.
 *   startTestIssuer: served on 127.0.0.1, its public URL naming that port (issuer/ephemeral.ts,
 *     what the benches and library users start too); give `publicUrl` to keep a URL of your own.
 *   initTestIssuer: the same issuer without HTTP.
 */

export { freePort } from '../../issuer/index.js';

export const TEST_ISSUER_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const TEST_ISSUER_SECRET = 'test-secret-for-netcred-0123456789abcdef';

/** A served test issuer: ctx, server, url, dataDir, close(). */
export type TestIssuer = EphemeralIssuer;

export function startTestIssuer(options: EphemeralIssuerOptions = {}): Promise<TestIssuer> {
  return startEphemeralIssuer({ adminToken: TEST_ISSUER_ADMIN_TOKEN, secret: TEST_ISSUER_SECRET, tmpPrefix: 'netcred-test-issuer-', ...options });
}

/** A test issuer with no HTTP server. */
export type UnservedTestIssuer = { ctx: IssuerContext; dataDir: string; close(): Promise<void> };

export async function initTestIssuer(options: Omit<InitIssuerOptions, 'dataDir'> = {}): Promise<UnservedTestIssuer> {
  const tmp = tempDir('netcred-test-issuer-');
  try {
    const ctx = await initIssuer({ adminToken: TEST_ISSUER_ADMIN_TOKEN, secret: TEST_ISSUER_SECRET, ...options, dataDir: tmp.dir });
    return {
      ctx,
      dataDir: tmp.dir,
      async close() {
        await ctx.close();
        tmp.cleanup();
      },
    };
  } catch (err) {
    tmp.cleanup();
    throw err;
  }
}
