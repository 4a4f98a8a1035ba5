import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { DidError, InputTooLargeError, InvalidInputError, isNetcredError, JoseError, StorageError } from '../../core/errors.js';
import { storageErrorOf } from '../../core/storage-errors.js';

/** Seconds a client should wait before retrying after a storage fault (503). */
export const STORAGE_RETRY_AFTER_SECONDS = 5;

/**
 * Answers a storage fault: 503, `Retry-After`, and the OAuth error body with the typed code.
 * Returns false when `err` is not a storage fault (the caller answers it its own way).
 */
export function sendStorageFault(res: Response, err: unknown): boolean {
  const typed = storageErrorOf(err, 'issuer store');
  if (!typed) return false;
  process.stderr.write(`issuer: ${typed.code}: ${typed.message}\n`);
  res
    .status(503)
    .set({ 'Retry-After': String(STORAGE_RETRY_AFTER_SECONDS), 'Cache-Control': 'no-store' })
    .json({ error: 'temporarily_unavailable', error_description: typed.message, code: typed.code });
  return true;
}

/** Codes that mean the issuer itself is broken, not the request: 500. */
const SERVER_CODES = /^(INTERNAL|ISSUER_[A-Z_]+|SECRET_[A-Z_]+|SEALED_INVALID|KEY_NOT_FOUND|NOT_SUPPORTED)$/;

const OAUTH_ERROR: Record<number, string> = { 400: 'invalid_request', 401: 'invalid_token', 403: 'insufficient_scope', 404: 'not_found', 409: 'invalid_request', 413: 'invalid_request', 415: 'invalid_request' };

/**
 * HTTP status of an error: an explicit numeric `status` (body-parser, or a route that sets
 * one) wins; typed input errors are 400 (413 when too large); other NetcredErrors are caller
 * errors (400) unless their code says the server is broken; anything untyped is 500.
 */
export function httpStatusOf(err: unknown): number {
  const explicit = (err as { status?: unknown } | null)?.status;
  if (typeof explicit === 'number' && explicit >= 400 && explicit < 600) return explicit;
  if (err instanceof StorageError || storageErrorOf(err)) return 503;
  if (err instanceof InputTooLargeError) return 413;
  if (err instanceof InvalidInputError || err instanceof JoseError || err instanceof DidError) return 400;
  if (isNetcredError(err)) return SERVER_CODES.test(err.code) ? 500 : 400;
  return 500;
}

function describe(err: unknown, status: number): { error: string; error_description: string; code?: string } {
  if (status >= 500) return { error: 'server_error', error_description: 'internal error', ...(isNetcredError(err) ? { code: err.code } : {}) };
  const error = OAUTH_ERROR[status] ?? 'invalid_request';
  if (isNetcredError(err)) return { error, error_description: err.message, code: err.code };
  const type = (err as { type?: unknown }).type;
  if (type === 'entity.too.large') return { error, error_description: 'request body is too large' };
  if (type === 'entity.parse.failed') return { error, error_description: 'request body is not valid JSON' };
  return { error, error_description: err instanceof Error && (err as { expose?: boolean }).expose ? err.message : 'bad request' };
}

/** `{error, error_description}` for every failure; never a stack trace. */
export function errorHandler(): ErrorRequestHandler {
  return (err, _req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (sendStorageFault(res, err)) return;
    const status = httpStatusOf(err);
    if (status >= 500) process.stderr.write(`issuer: ${isNetcredError(err) ? `${err.code}: ` : ''}${err instanceof Error ? err.message : String(err)}\n`);
    res.status(status).json(describe(err, status));
  };
}

export function notFound(): RequestHandler {
  return (req, res) => {
    res.status(404).json({ error: 'not_found', error_description: `no route for ${req.method} ${req.path}` });
  };
}
