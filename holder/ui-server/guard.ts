import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { WalletUiError } from './errors.js';

/** The origins the page server answers to: its own loopback address and port, nothing else. */
export function ownOrigins(port: number): Set<string> {
  return new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
}

const refused = (why: string) => new WalletUiError('WALLET_UI_ORIGIN_REFUSED', why);

/**
 * Against other web pages on the same machine: the `Host` must be this server's loopback
 * address and port (a DNS-rebound name such as evil.example:PORT is refused), an `Origin`, when
 * the browser sends one, must be this server's, and `Sec-Fetch-Site`, when sent, must say the
 * request comes from this page (same-origin) or from the user (none: typed URL, bookmark).
 */
export function sameOriginOnly(port: number): RequestHandler {
  const origins = ownOrigins(port);
  const hosts = new Set([...origins].map((o) => o.slice('http://'.length)));
  return (req, _res, next) => {
    const host = req.get('host');
    if (!host || !hosts.has(host.toLowerCase()))
      return next(refused(`this server answers only to 127.0.0.1:${port}, not to host ${JSON.stringify(host ?? '')}`));
    const origin = req.get('origin');
    if (origin !== undefined && !origins.has(origin.toLowerCase())) return next(refused(`requests from another origin (${origin}) are refused`));
    const site = req.get('sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return next(refused(`a ${site} request is refused`));
    next();
  };
}

const BEARER = /^Bearer +([!-~]+)$/i;
const sha256 = (v: string) => createHash('sha256').update(v, 'utf8').digest();

/**
 * The API takes only calls that carry this launch's session token (`Authorization: Bearer`),
 * which the page reads from the `#t=` fragment of the URL the command printed (a fragment is
 * never sent over the network). Compared as SHA-256 digests in constant time.
 */
export function sessionToken(token: string): RequestHandler {
  const expected = sha256(token);
  return (req, _res, next) => {
    const m = BEARER.exec(req.get('authorization') ?? '');
    if (m && timingSafeEqual(sha256(m[1]!), expected)) return next();
    next(new WalletUiError('WALLET_UI_SESSION_INVALID', 'this call needs the session token of the URL "netcred wallet ui" printed; open that URL again'));
  };
}
