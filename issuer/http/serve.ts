import type { RequestListener } from 'node:http';
import { listen, type RunningServer } from '../../core/http/listen.js';
import type { RateLimitSetting } from '../../core/http/rate-limit.js';
import type { ServerLimits } from '../../core/http/server-limits.js';
import type { IssuerContext } from '../context.js';
import { createIssuerApp } from './app.js';

export type { RunningServer } from '../../core/http/listen.js';

/** The header naming the process that answered, on every answer of an issuer serving from several workers. */
export const WORKER_HEADER = 'X-Netcred-Worker';

/**
 * Listens with the issuer app (default 127.0.0.1:8080); a taken port is PORT_IN_USE. With
 * `workerHeader` (issuer serve --workers N) every answer names its process (WORKER_HEADER: the pid).
 */
export async function serveIssuer(
  ctx: IssuerContext,
  options: { host?: string; port?: number; rateLimit?: RateLimitSetting; limits?: Partial<ServerLimits>; workerHeader?: boolean } = {},
): Promise<RunningServer> {
  const app = createIssuerApp(ctx, { rateLimit: options.rateLimit });
  const pid = String(process.pid);
  const served: RequestListener = options.workerHeader
    ? (req, res) => {
        res.setHeader(WORKER_HEADER, pid);
        app(req, res);
      }
    : app;
  return listen(served, { host: options.host, port: options.port ?? 8080, limits: options.limits });
}
