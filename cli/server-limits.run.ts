import { DEFAULT_SERVER_LIMITS, InvalidInputError, resolveServerLimits, type ServerLimits } from '../core/index.js';

/** The connection-limit flags as commander hands them over (undefined: the default). */
export type ServerLimitOpts = { headersTimeout?: string; requestTimeout?: string; keepAliveTimeout?: string; maxConnections?: string };

function positive(value: string | undefined, flag: string, scale: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,7}$/.test(value) || Number(value) === 0)
    throw new InvalidInputError(`${flag} must be a positive whole number, got ${JSON.stringify(value)}`, [
      { path: flag, message: 'not a positive whole number' },
    ]);
  return Number(value) * scale;
}

/** The limits the flags ask for, checked here (exit 2 before anything is opened); unset flags keep the defaults. */
export function serverLimitsOf(opts: ServerLimitOpts): ServerLimits {
  const headersTimeoutMs = positive(opts.headersTimeout, '--headers-timeout', 1000);
  const requestTimeoutMs = positive(opts.requestTimeout, '--request-timeout', 1000);
  const [headers, request] = [headersTimeoutMs ?? DEFAULT_SERVER_LIMITS.headersTimeoutMs, requestTimeoutMs ?? DEFAULT_SERVER_LIMITS.requestTimeoutMs];
  if (headers > request) {
    throw new InvalidInputError(`--headers-timeout (${headers / 1000} s) cannot be longer than --request-timeout (${request / 1000} s)`, [
      { path: '--headers-timeout', message: 'longer than --request-timeout' },
    ]);
  }
  return resolveServerLimits({
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: positive(opts.keepAliveTimeout, '--keep-alive-timeout', 1000),
    maxConnections: positive(opts.maxConnections, '--max-connections', 1),
  });
}
