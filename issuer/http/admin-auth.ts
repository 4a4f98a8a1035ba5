import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { IssuerContext } from '../context.js';

const REALM = 'netcred-issuer';
// RFC 6750 b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Guards /admin routes with the issuer's admin token (RFC 6750 Bearer). Tokens are compared
 * as SHA-256 hashes with timingSafeEqual: equal lengths, so neither the token nor its length
 * leaks through timing.
 */
export function requireAdmin(ctx: IssuerContext): RequestHandler {
  const expected = sha256(ctx.config.adminToken);
  return (req, res, next) => {
    const match = BEARER.exec(req.get('authorization') ?? '');
    if (match && timingSafeEqual(sha256(match[1]!), expected)) {
      next();
      return;
    }
    const description = match ? 'the admin token is not valid' : 'an admin token is required (Authorization: Bearer <token>)';
    res
      .status(401)
      .set('WWW-Authenticate', match ? `Bearer realm="${REALM}", error="invalid_token"` : `Bearer realm="${REALM}"`)
      .set('Cache-Control', 'no-store')
      .json({ error: 'invalid_token', error_description: description });
  };
}
