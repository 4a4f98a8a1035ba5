import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export type RunningServer = { url: string; server: Server; close(): Promise<void> };

/** Listens on host:port (port 0: any free port) and resolves once it accepts connections. */
export function listenApp(app: Express, options: { host?: string; port?: number } = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = app.listen(options.port ?? 0, host);
    server.once('error', reject);
    server.once('listening', () => {
      const { port } = server.address() as AddressInfo;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({ url: `http://${shown}:${port}`, server, close: () => new Promise((ok) => server.close(() => ok())) });
    });
  });
}
