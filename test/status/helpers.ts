import type { KeyObject } from 'node:crypto';
import { resolvePublicKey, verifyStatusListToken, type JwsAlg, type StatusListTokenContents } from '../../core/index.js';
import type { IssuerContext } from '../../issuer/index.js';
// Internals on purpose: status tests reserve entries the way issuance does, below issueCredential.
import { allocateStatus, writeTransaction, type StatusAssignment } from '../../issuer/status/index.js';
import { startTestIssuer, TEST_ISSUER_ADMIN_TOKEN, type TestIssuer } from '../helpers/issuer.js';

/** A test issuer (test/helpers/issuer.ts) with what the status tests read and change over HTTP. */
export type StatusTestIssuer = TestIssuer & {
  key: KeyObject;
  /** GET a path (or the path of an absolute URI) on the running server. */
  get(pathOrUri: string, headers?: Record<string, string>): Promise<Response>;
  admin(method: 'GET' | 'POST', path: string, body?: unknown, token?: string | null): Promise<Response>;
  /** Fetches and verifies the published token of a list URI. */
  token(uri: string): Promise<StatusListTokenContents>;
};

/**
 * The test issuer with its public URL at https://issuer.test (the status URIs the tests expect),
 * served on 127.0.0.1 (port 0), its secret in the generated key file (for the CLI on its data dir).
 */
export async function startStatusIssuer(options: { alg?: JwsAlg; statusListSize?: number } = {}): Promise<StatusTestIssuer> {
  const issuer = await startTestIssuer({ alg: options.alg ?? 'EdDSA', publicUrl: 'https://issuer.test', secret: undefined, tmpPrefix: 'netcred-status-' });
  const { ctx, server } = issuer;
  if (options.statusListSize !== undefined) ctx.config.statusListSize = options.statusListSize;
  const { key } = await resolvePublicKey(ctx.resolver, ctx.issuerDid, ctx.signer.kid);
  const pathOf = (p: string) => (p.startsWith('http') ? new URL(p).pathname : p);
  const get = (p: string, headers: Record<string, string> = {}) => fetch(`${server.url}${pathOf(p)}`, { headers });
  return {
    ...issuer,
    key,
    get,
    admin(method, path, body, token = TEST_ISSUER_ADMIN_TOKEN) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token !== null) headers.authorization = `Bearer ${token}`;
      return fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    },
    async token(uri) {
      const res = await get(uri);
      if (res.status !== 200) throw new Error(`GET ${uri}: ${res.status} ${await res.text()}`);
      return verifyStatusListToken(await res.text(), key, { uri });
    },
  };
}

/** Reserves a status entry the way issuance does (inside a write transaction). */
export function allocate(ctx: IssuerContext, credentialId: string): Promise<StatusAssignment> {
  return writeTransaction(ctx.dataSource, async (tx) => (await allocateStatus(ctx, tx, credentialId))!);
}
