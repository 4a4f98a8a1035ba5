import http, { type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NetcredError } from '../errors.js';
import { applyServerLimits, type ServerLimits } from './server-limits.js';

/** A listening HTTP server: its base URL, and `close()`, which stops accepting, drops idle keep-alive sockets and waits. */
export type RunningServer = { url: string; server: Server; close(): Promise<void> };

/** Where and how listenApp listens: host, port and the server limits. */
export type ListenOptions = {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Timeouts and connection cap (server-limits.ts; defaults DEFAULT_SERVER_LIMITS). */
  limits?: Partial<ServerLimits>;
};

/** The listen port is taken (PORT_IN_USE), or listening failed otherwise (LISTEN_FAILED): the operator's to fix. */
export class ListenError extends NetcredError {
  declare readonly code: 'PORT_IN_USE' | 'LISTEN_FAILED';
  constructor(code: 'PORT_IN_USE' | 'LISTEN_FAILED', message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** Serves `app` (an express app or any request listener) on host:port, with the server limits applied before listen. */
export async function listen(app: RequestListener, options: ListenOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const server = http.createServer(app);
  applyServerLimits(server, options.limits);
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new ListenError('PORT_IN_USE', `${host}:${port} is already in use`, { cause: err })
          : new ListenError('LISTEN_FAILED', `cannot listen on ${host}:${port}: ${err.message}`, { cause: err }),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
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
