import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { InvalidInputError } from '../errors.js';

/** Requests a minute per client IP on each limited endpoint, unless configured otherwise. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;

/** Requests a minute per client IP on each limited endpoint; 0 or false: no limit. */
export type RateLimitSetting = number | false;

/** The OAuth-style `error` of a 429: `slow_down` on a token endpoint, `invalid_request` elsewhere. */
export type RateLimitError = 'slow_down' | 'invalid_request';

const noLimit: RequestHandler = (_req, _res, next) => next();

/** Checks a setting (library option or CLI flag): a whole number, 0 (off) or more. */
export function rateLimitSetting(value: unknown, what = 'rateLimit'): RateLimitSetting {
  if (value === undefined) return DEFAULT_RATE_LIMIT_PER_MINUTE;
  if (value === false) return false;
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
    throw new InvalidInputError(`${what} must be a whole number of requests a minute (0: no limit)`);
  return n === 0 ? false : n;
}

/**
 * A per-client-IP limit (express-rate-limit, its in-memory store: one per endpoint and app, so
 * each process counts on its own). Over the limit: 429 with `Retry-After`, the standard
 * `RateLimit` / `RateLimit-Policy` headers (IETF draft 8) and an OAuth-style body
 * `{error, error_description, code: "RATE_LIMITED"}`. The client IP is the socket's address
 * (the apps do not trust X-Forwarded-For): behind a reverse proxy every client shares its budget.
 */
export function perIpRateLimit(setting: RateLimitSetting | undefined, error: RateLimitError, what: string): RequestHandler {
  const limit = rateLimitSetting(setting);
  if (limit === false) return noLimit;
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      res
        .status(429)
        .set('Cache-Control', 'no-store')
        .json({
          error,
          error_description: `too many ${what} requests from this address (at most ${limit} a minute); retry after the Retry-After delay`,
          code: 'RATE_LIMITED',
        });
    },
  });
}
