import type { KeyObject } from 'node:crypto';
import { resolvePublicKey } from '../../core/did/resolve.js';
import type { JwsAlg } from '../../core/jose/alg.js';
import { verifyStatusListToken, type StatusListTokenContents } from '../../core/status/status-list-token.js';
import type { IssuerContext } from '../../issuer/context.js';
import { serveIssuer, type RunningServer } from '../../issuer/http/serve.js';
import { initIssuer } from '../../issuer/open.js';
import { allocateStatus, writeTransaction, type StatusAssignment } from '../../issuer/status/index.js';
import { tempDir } from '../helpers/tmp.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export type TestIssuer = {
  ctx: IssuerContext;
  dir: string;
  server: RunningServer;
  key: KeyObject;
  /** GET a path (or the path of an absolute URI) on the running server. */
  get(pathOrUri: string, headers?: Record<string, string>): Promise<Response>;
  admin(method: 'GET' | 'POST', path: string, body?: unknown, token?: string | null): Promise<Response>;
  /** Fetches and verifies the published token of a list URI. */
  token(uri: string): Promise<StatusListTokenContents>;
  close(): Promise<void>;
};

/** A real issuer in a temp dir, served on 127.0.0.1 (port 0). */
export async function startTestIssuer(options: { alg?: JwsAlg; statusListSize?: number } = {}): Promise<TestIssuer> {
  const { dir, cleanup } = tempDir('netcred-status-');
  const ctx = await initIssuer({ dataDir: dir, alg: options.alg ?? 'EdDSA', publicUrl: 'https://issuer.test', adminToken: ADMIN_TOKEN });
  if (options.statusListSize !== undefined) ctx.config.statusListSize = options.statusListSize;
  const server = await serveIssuer(ctx, { host: '127.0.0.1', port: 0 });
  const { key } = await resolvePublicKey(ctx.resolver, ctx.issuerDid, ctx.signer.kid);
  const pathOf = (p: string) => (p.startsWith('http') ? new URL(p).pathname : p);
  const get = (p: string, headers: Record<string, string> = {}) => fetch(`${server.url}${pathOf(p)}`, { headers });
  return {
    ctx,
    dir,
    server,
    key,
    get,
    admin(method, path, body, token = ADMIN_TOKEN) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token !== null) headers.authorization = `Bearer ${token}`;
      return fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    },
    async token(uri) {
      const res = await get(uri);
      if (res.status !== 200) throw new Error(`GET ${uri}: ${res.status} ${await res.text()}`);
      return verifyStatusListToken(await res.text(), key, { uri });
    },
    async close() {
      await server.close();
      await ctx.close();
      cleanup();
    },
  };
}

/** Reserves a status entry the way issuance does (inside a write transaction). */
export function allocate(ctx: IssuerContext, credentialId: string): Promise<StatusAssignment> {
  return writeTransaction(ctx.dataSource, async (tx) => (await allocateStatus(ctx, tx, credentialId))!);
}
