import type { RateLimitSetting } from '../../core/http/rate-limit.js';
import type { ServerLimits } from '../../core/http/server-limits.js';
import { issuerPaths } from '../../issuer/config.js';
import type { IssuerContext } from '../../issuer/context.js';
import { serveIssuer, type RunningServer } from '../../issuer/http/serve.js';

/** Where the secret and the admin token of an issuer live (never the values themselves). */
export function secretLocations(ctx: IssuerContext): { secret: string; adminToken: string } {
  const paths = issuerPaths(ctx.config.dataDir);
  const external = process.env.NETCRED_SECRET ? 'NETCRED_SECRET (environment)' : undefined;
  return {
    secret: external ?? paths.keyFile,
    adminToken: process.env.NETCRED_ADMIN_TOKEN ? 'NETCRED_ADMIN_TOKEN (environment)' : `${paths.config} ("adminToken")`,
  };
}

/** Serves until SIGINT/SIGTERM, then closes the server and the data source. */
export async function serveUntilSignal(ctx: IssuerContext, options: { host: string; port: number; rateLimit?: RateLimitSetting; limits?: Partial<ServerLimits> }, onListening: (running: RunningServer) => void): Promise<void> {
  let running: RunningServer;
  try {
    running = await serveIssuer(ctx, options);
  } catch (err) {
    await ctx.close();
    throw err;
  }
  onListening(running);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      // Requests in flight get a few seconds; then every socket is dropped.
      const force = setTimeout(() => running.server.closeAllConnections(), 5000);
      force.unref();
      void running
        .close()
        .then(() => ctx.close())
        .finally(() => {
          clearTimeout(force);
          resolve();
        });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stderr.write('netcred: issuer stopped\n');
}
