import type { ErrorRequestHandler, Request } from 'express';
import { CLASS_CONTRACT, specOf } from '../errors/codes.js';
import { isNetcredError, type ErrorCode, type ErrorDetail, type NetcredError } from '../errors.js';
import { storageErrorOf } from '../storage-errors.js';

/** Seconds a client should wait before retrying a 503 whose error names no delay of its own. */
export const RETRY_AFTER_SECONDS = 5;

/** The OAuth `error` (RFC 6749 5.2, RFC 6750 3.1) of an HTTP status, when the code's row names none. */
const OAUTH_ERROR_OF_STATUS: Readonly<Record<number, string>> = {
  401: 'invalid_token',
  403: 'insufficient_scope',
  404: 'not_found',
  500: 'server_error',
  503: 'temporarily_unavailable',
};

/** A thrown value as a NetcredError: itself, or the StorageError of a store driver's fault. */
function typedError(err: unknown): NetcredError | undefined {
  return isNetcredError(err) ? err : storageErrorOf(err);
}

/**
 * HTTP status of anything thrown: a NetcredError's from its code's row (core/errors/codes.ts);
 * an untyped error's own 4xx/5xx `status` (body-parser); 500 for anything else.
 */
export function httpStatusOf(err: unknown): number {
  const typed = typedError(err);
  if (typed) {
    const spec = specOf(typed.code);
    return spec.status ?? CLASS_CONTRACT[spec.class].status;
  }
  const explicit = (err as { status?: unknown } | null)?.status;
  return typeof explicit === 'number' && explicit >= 400 && explicit < 600 ? explicit : 500;
}

/** The OAuth `error` of anything thrown: the code's own (OpenID4VCI), else its status's. */
export function oauthErrorOf(err: unknown, status = httpStatusOf(err)): string {
  const typed = typedError(err);
  return (typed && specOf(typed.code).error) ?? OAUTH_ERROR_OF_STATUS[status] ?? (status >= 500 ? 'server_error' : 'invalid_request');
}

/** The JSON body of every HTTP error: OAuth `error` and `error_description`, with netcred's `code` and `details`. */
export type OAuthErrorBody = { error: string; error_description: string; code?: ErrorCode; details?: ErrorDetail[] };

export type ErrorHandlerOptions = {
  /** Prefix of the server log lines of 5xx answers ('issuer', 'verifier'). */
  log: string;
  /** Send the `details` of an input error (every failing field) in the body. */
  details?: boolean;
  /** The OAuth `error` of a 4xx whose code names none, where a protocol wants its own (OpenID4VCI's credential endpoint). */
  oauthError?: (req: Request, status: number) => string | undefined;
};

function describeUntyped(err: unknown): string {
  const e = err as { type?: unknown; expose?: unknown; message?: unknown } | null;
  if (e?.type === 'entity.too.large') return 'request body is too large';
  if (e?.type === 'entity.parse.failed') return 'request body is not valid JSON';
  return e?.expose === true && typeof e.message === 'string' ? e.message : 'bad request';
}

/**
 * The one error answer of every netcred HTTP route: status and OAuth `error` from the code's
 * class, `{error, error_description, code}`, `Cache-Control: no-store`; a 503 with `Retry-After`,
 * a 401 with `WWW-Authenticate`. A 500 never carries the message or a stack: it goes to stderr.
 */
export function httpErrorHandler(options: ErrorHandlerOptions): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const typed = typedError(err);
    const status = httpStatusOf(err);
    const spec = typed && specOf(typed.code);
    const error = (status < 500 && !spec?.error && options.oauthError?.(req, status)) || oauthErrorOf(err, status);
    const hidden = status >= 500 && spec?.class !== 'storage';
    if (status >= 500)
      process.stderr.write(`${options.log}: ${typed ? `${typed.code}: ${typed.message}` : err instanceof Error ? err.message : String(err)}\n`);
    const body: OAuthErrorBody = { error, error_description: hidden ? 'internal error' : typed ? typed.message : describeUntyped(err) };
    if (typed) body.code = typed.code;
    if (typed?.details && options.details && !hidden) body.details = typed.details;
    res.status(status).set('Cache-Control', 'no-store');
    if (status === 503) {
      const after = (typed as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      res.set('Retry-After', String(typeof after === 'number' && Number.isSafeInteger(after) && after >= 0 ? after : RETRY_AFTER_SECONDS));
    }
    // A route may have set its own challenge (e.g. the DPoP scheme, RFC 9449 7.1); Bearer otherwise.
    if (status === 401 && !res.get('WWW-Authenticate'))
      res.set('WWW-Authenticate', `Bearer error="${error}", error_description="${body.error_description.replace(/["\\]/g, '')}"`);
    res.json(body);
  };
}
