import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

/** The admin token a bearer-auth middleware accepts and the realm of its challenge. */
export type BearerAuthOptions = {
  /** The token to accept; without one every call is refused with 403 (the API is not enabled). */
  token: string | undefined;
  /** `realm` of the WWW-Authenticate challenge. */
  realm: string;
};

// RFC 6750 section 2.1 credentials (the scheme is case-insensitive, RFC 9110 11.1); the token is any
// visible ASCII, so that every configured token can be sent.
const BEARER = /^Bearer +([!-~]+)$/i;

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function refuse(res: Response, status: number, error: string, description: string): void {
  res.status(status).set('Cache-Control', 'no-store').json({ error, error_description: description });
}

/**
 * Guards admin routes with a bearer token (RFC 6750). Tokens are compared as SHA-256 digests
 * with timingSafeEqual: equal lengths, so neither the token nor its length leaks through timing.
 * A missing or wrong token is 401 `invalid_token` with a `WWW-Authenticate: Bearer` challenge
 * (naming the error only when a token was sent, RFC 6750 3.1).
 */
export function bearerAuth(options: BearerAuthOptions): RequestHandler {
  const expected = options.token ? sha256(options.token) : undefined;
  return (req, res, next) => {
    if (!expected) return refuse(res, 403, 'access_denied', 'the admin API is not enabled on this server');
    const match = BEARER.exec(req.get('authorization') ?? '');
    if (match && timingSafeEqual(sha256(match[1]!), expected)) return next();
    res.set('WWW-Authenticate', match ? `Bearer realm="${options.realm}", error="invalid_token"` : `Bearer realm="${options.realm}"`);
    refuse(res, 401, 'invalid_token', match ? 'the admin token is not valid' : 'an admin token is required (Authorization: Bearer <token>)');
  };
}
