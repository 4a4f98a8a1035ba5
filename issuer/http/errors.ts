import type { ErrorRequestHandler, RequestHandler } from 'express';
import { httpErrorHandler } from '../../core/http/errors.js';

/** The issuer's error answers: the one contract of core/http/errors.ts, logged as `issuer`. */
export function errorHandler(): ErrorRequestHandler {
  return httpErrorHandler({ log: 'issuer' });
}

export function notFound(): RequestHandler {
  return (req, res) => {
    res.status(404).json({ error: 'not_found', error_description: `no route for ${req.method} ${req.path}` });
  };
}
