import { listen, type RunningServer } from '../../core/http/listen.js';
import type { RateLimitSetting } from '../../core/http/rate-limit.js';
import type { ServerLimits } from '../../core/http/server-limits.js';
import type { IssuerContext } from '../context.js';
import { createIssuerApp } from './app.js';

export type { RunningServer } from '../../core/http/listen.js';

/** Listens with the issuer app (default 127.0.0.1:8080); a taken port is PORT_IN_USE. */
export async function serveIssuer(ctx: IssuerContext, options: { host?: string; port?: number; rateLimit?: RateLimitSetting; limits?: Partial<ServerLimits> } = {}): Promise<RunningServer> {
  return listen(createIssuerApp(ctx, { rateLimit: options.rateLimit }), { host: options.host, port: options.port ?? 8080, limits: options.limits });
}
