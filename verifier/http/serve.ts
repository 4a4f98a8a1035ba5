import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { applyServerLimits, type ServerLimits } from '../../core/http/server-limits.js';

export type RunningServer = { url: string; server: Server; close(): Promise<void> };

export type ListenOptions = {
  host?: string;
  port?: number;
  /** Timeouts and connection cap (core/http/server-limits.ts; defaults DEFAULT_SERVER_LIMITS). */
  limits?: Partial<ServerLimits>;
};

/** Listens on host:port (port 0: any free port) and resolves once it accepts connections. */
export async function listenApp(app: Express, options: ListenOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer(app);
  applyServerLimits(server, options.limits);
  return new Promise<RunningServer>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({ url: `http://${shown}:${port}`, server, close: () => new Promise((ok) => server.close(() => ok())) });
    });
  });
}
