import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { RunningServer } from '../core/http/listen.js';
import type { IssuerContext } from './context.js';
import { serveIssuer } from './http/serve.js';
import { initIssuer, type InitIssuerOptions } from './open.js';

/**
 * A real issuer that lives as long as a test, a benchmark or a demo: initIssuer in a fresh temp
 * dir, its HTTP app on 127.0.0.1. The one way netcred's tests and benches start an issuer, and
 * a way for a library user's own tests to get one.
 */
export type EphemeralIssuer = {
  ctx: IssuerContext;
  server: RunningServer;
  /** Where the app listens (http://127.0.0.1:<port>). */
  url: string;
  dataDir: string;
  /** Stops the server, closes the issuer and removes the temp dir. */
  close(): Promise<void>;
};

/** initIssuer's options for an issuer in a temporary directory, and that directory's prefix. */
export type EphemeralIssuerOptions = Omit<InitIssuerOptions, 'dataDir'> & {
  /** Prefix of the temp dir (default `netcred-issuer-`). */
  tmpPrefix?: string;
};

/**
 * Starts an issuer in a temp dir on 127.0.0.1. Its public URL (in every credential's status
 * URI) is http://127.0.0.1:<port> of a port found free first, so what it publishes resolves to
 * the server itself; a `publicUrl` given instead is kept as is and the server takes any port.
 */
export async function startEphemeralIssuer(options: EphemeralIssuerOptions = {}): Promise<EphemeralIssuer> {
  const { tmpPrefix = 'netcred-issuer-', ...init } = options;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  let ctx: IssuerContext | undefined;
  try {
    const port = init.publicUrl === undefined ? await freePort() : 0;
    ctx = await initIssuer({ ...init, dataDir, publicUrl: init.publicUrl ?? `http://127.0.0.1:${port}` });
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
        removeDir();
      },
    };
  } catch (err) {
    await ctx?.close();
    removeDir();
    throw err;
  }
}

/** A TCP port free right now on 127.0.0.1: for a public URL that must name its port before the server listens. */
export async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((closed) => probe.close(closed));
  return port;
}
