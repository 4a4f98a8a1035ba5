import type { RequestHandler } from 'express';
import { PAGE_CSP } from '../../core/http/static-pages.js';

/** Headers of every answer of the page server, the API's included: the pages' CSP, no framing, no sniffing, no referrer. */
export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.set({
      'Content-Security-Policy': PAGE_CSP,
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
    next();
  };
}
