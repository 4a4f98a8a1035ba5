import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { IssuerContext } from '../issuer/context.js';
import type { RunningServer } from '../issuer/http/serve.js';
import type { InitIssuerOptions } from '../issuer/open.js';

/**
 * The real issuer in a temp dir, served on 127.0.0.1: what benchmarks and tests start again and
 * again. (test/helpers/issuer.ts wraps it with test defaults; bench code does not import test/.)
 * The issuer modules load on first use, so importing only freePort stays cheap.
 */


export type LocalIssuer = { ctx: IssuerContext; server: RunningServer; url: string; dataDir: string; close(): Promise<void> };

export type LocalIssuerOptions = Omit<InitIssuerOptions, 'dataDir' | 'publicUrl'> & {
  /** Prefix of the temp dir (removed by close()). */
  tmpPrefix?: string;
};

/** initIssuer in a fresh temp dir with its public URL on a free loopback port, then serveIssuer on that port. */
export async function startLocalIssuer(options: LocalIssuerOptions = {}): Promise<LocalIssuer> {
  const { tmpPrefix = 'netcred-issuer-', ...init } = options;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
  const cleanup = () => rmSync(dataDir, { recursive: true, force: true });
  let ctx: IssuerContext | undefined;
  try {
    const [{ initIssuer }, { serveIssuer }] = await Promise.all([import('../issuer/open.js'), import('../issuer/http/serve.js')]);
    const port = await freePort();
    ctx = await initIssuer({ ...init, dataDir, publicUrl: `http://127.0.0.1:${port}` });
    const server = await serveIssuer(ctx, { host: '127.0.0.1', port });
    const opened = ctx;
    return {
      ctx: opened,
      server,
      url: server.url,
      dataDir,
      async close() {
        await server.close();
        await opened.close();
        cleanup();
      },
    };
  } catch (err) {
    await ctx?.close();
    cleanup();
    throw err;
  }
}

/** A TCP port free right now on 127.0.0.1 (a public URL must name the port before the issuer listens). */
export async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((closed) => probe.close(closed));
  return port;
}
