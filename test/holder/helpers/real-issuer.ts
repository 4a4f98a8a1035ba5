import { createServer } from 'node:net';
import type { IssuerContext } from '../../../issuer/context.js';
import { serveIssuer, type RunningServer } from '../../../issuer/http/serve.js';
import { initIssuer } from '../../../issuer/open.js';
import { tempDir } from '../../helpers/tmp.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export type RealIssuer = { ctx: IssuerContext; server: RunningServer; dataDir: string; close(): Promise<void> };

/** The real issuer (initIssuer + serveIssuer) in a temp dir, on 127.0.0.1 with its public URL on that port. */
export async function startRealIssuer(options: { alg?: 'EdDSA' | 'ES256' } = {}): Promise<RealIssuer> {
  const tmp = tempDir('netcred-holder-issuer-');
  const port = await freePort();
  const ctx = await initIssuer({
    dataDir: tmp.dir,
    publicUrl: `http://127.0.0.1:${port}`,
    adminToken: 'holder-test-admin-token-0123456789abcdef',
    secret: 'holder-test-secret-0123456789abcdef0123456789',
    alg: options.alg ?? 'ES256',
  });
  const server = await serveIssuer(ctx, { host: '127.0.0.1', port });
  return {
    ctx,
    server,
    dataDir: tmp.dir,
    async close() {
      await server.close();
      await ctx.close();
      tmp.cleanup();
    },
  };
}
