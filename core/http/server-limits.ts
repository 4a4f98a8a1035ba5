import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { InvalidInputError } from '../errors.js';

/**
 * Connection limits of both HTTP apps. Node's defaults let one client hold a socket for a
 * minute with a half-sent header and for five minutes with a slow body, with no cap on
 * connections: these bound what a slow or idle client can hold.
 */
export type ServerLimits = {
  /** Time a client has to send the complete request headers. */
  headersTimeoutMs: number;
  /** Time a client has to send the complete request (headers and body). */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open after a response. */
  keepAliveTimeoutMs: number;
  /** Concurrent connections; the server closes connections past it at once. */
  maxConnections: number;
};

/** The default timeouts and connection cap of every netcred HTTP server. */
export const DEFAULT_SERVER_LIMITS: Readonly<ServerLimits> = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1024,
});

/**
 * Node checks headersTimeout and requestTimeout on an interval (default 30 s), so a timeout
 * bites up to one interval late: check ten times per shortest timeout, between 100 ms and 1 s.
 */
export function connectionsCheckingIntervalMs(limits: Pick<ServerLimits, 'headersTimeoutMs' | 'requestTimeoutMs'>): number {
  return Math.min(1000, Math.max(100, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 10)));
}

/** The defaults with `overrides` applied, checked: positive integers, headers timeout not above the request timeout. */
export function resolveServerLimits(overrides: Partial<ServerLimits> = {}): ServerLimits {
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS };
  for (const key of Object.keys(DEFAULT_SERVER_LIMITS) as (keyof ServerLimits)[]) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new InvalidInputError(`${key} must be a positive integer, got ${String(value)}`, [{ path: key, message: 'not a positive integer' }]);
    limits[key] = value;
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new InvalidInputError(
      `the headers timeout (${limits.headersTimeoutMs / 1000} s) cannot be longer than the request timeout (${limits.requestTimeoutMs / 1000} s)`,
      [{ path: 'headersTimeoutMs', message: 'longer than requestTimeoutMs' }],
    );
  }
  return limits;
}

/**
 * Applies the limits to `server`, once, before `listen` (Node starts its timeout checker when
 * the server starts listening), and returns what was applied.
 */
export function applyServerLimits(server: Server, overrides: Partial<ServerLimits> = {}): ServerLimits {
  const limits = resolveServerLimits(overrides);
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  // Read by Node when listening starts (not in @types/node as a writable property).
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = connectionsCheckingIntervalMs(limits);
  // Node's headers timeout starts at the first byte: a connection that never sends one would
  // hold its slot forever. It gets the headers timeout as an idle timeout (Node destroys a
  // socket whose timeout nobody handles), lifted once a request has arrived.
  server.on('connection', (socket: Socket) => socket.setTimeout(limits.headersTimeoutMs));
  server.prependListener('request', (req) => req.socket.setTimeout(server.timeout));
  return limits;
}
