import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NetcredError } from '../../core/errors.js';
import { applyServerLimits, type ServerLimits } from '../../core/http/server-limits.js';
import type { RateLimitSetting } from '../../core/http/rate-limit.js';
import type { IssuerContext } from '../context.js';
import { createIssuerApp } from './app.js';

export type RunningServer = { url: string; server: http.Server; close(): Promise<void> };

/** Listens with the issuer app; `close()` stops accepting, drops idle keep-alive sockets and waits. */
export async function serveIssuer(ctx: IssuerContext, options: { host?: string; port?: number; rateLimit?: RateLimitSetting; limits?: Partial<ServerLimits> } = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8080;
  const server = http.createServer(createIssuerApp(ctx, { rateLimit: options.rateLimit }));
  // Timeouts and connection cap (defaults DEFAULT_SERVER_LIMITS), before listen.
  applyServerLimits(server, options.limits);
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new NetcredError('PORT_IN_USE', `${host}:${port} is already in use`, { cause: err })
          : new NetcredError('LISTEN_FAILED', `cannot listen on ${host}:${port}: ${err.message}`, { cause: err }),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    server,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
