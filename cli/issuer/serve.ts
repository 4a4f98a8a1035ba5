import type { RateLimitSetting, ServerLimits } from '../../core/index.js';
import { issuerPaths, serveIssuer, type IssuerContext, type RunningServer } from '../../issuer/index.js';

/** Where the secret and the admin token of an issuer live (never the values themselves). */
export function secretLocations(ctx: IssuerContext): { secret: string; adminToken: string } {
  const paths = issuerPaths(ctx.config.dataDir);
  const external = process.env.NETCRED_SECRET ? 'NETCRED_SECRET (environment)' : undefined;
  return {
    secret: external ?? paths.keyFile,
    adminToken: process.env.NETCRED_ADMIN_TOKEN ? 'NETCRED_ADMIN_TOKEN (environment)' : `${paths.config} ("adminToken")`,
  };
}

/**
 * Serves until SIGINT/SIGTERM, then closes the server and the data source. `onListening` runs
 * once the server listens (the signals are already handled then: whatever it prints, a stop
 * request after it is a clean stop); if it fails (a check of the listen address, a companion
 * server that does not start), the server and the data source are closed and its error is
 * thrown: nothing is left running.
 */
export async function serveUntilSignal(
  ctx: IssuerContext,
  options: { host: string; port: number; rateLimit?: RateLimitSetting; limits?: Partial<ServerLimits>; workerHeader?: boolean },
  onListening: (running: RunningServer) => void | Promise<void>,
): Promise<void> {
  let running: RunningServer;
  try {
    running = await serveIssuer(ctx, options);
  } catch (err) {
    await ctx.close();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  const shutDown = (): Promise<void> =>
    (stopping ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // Requests in flight get a few seconds; then every socket is dropped.
      const force = setTimeout(() => running.server.closeAllConnections(), 5000);
      force.unref();
      try {
        await running.close();
        await ctx.close();
      } finally {
        clearTimeout(force);
      }
    })());
  let signalled!: () => void;
  const stopped = new Promise<void>((resolve) => (signalled = resolve));
  const onSignal = () => void shutDown().finally(signalled);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await onListening(running);
  } catch (err) {
    // A stop asked for while starting (SIGINT before the companion server is up) makes the
    // start fail; that is the stop the user wanted, not an error.
    if (!stopping) {
      await shutDown();
      throw err;
    }
  }
  await stopped;
  process.stderr.write('netcred: issuer stopped\n');
}
