import express, { type RequestHandler } from 'express';
import { assertJsonDepth, MAX_JSON_DEPTH } from '../encoding/json.js';
import { isNetcredError, NetcredError } from '../errors.js';

/**
 * A request body refused before any route sees it, with a stable code (its HTTP status follows
 * from the code: core/http/errors.ts).
 */
export class BodyError extends NetcredError {
  /** body-parser's convention: the message is meant for the client. */
  readonly expose = true;
}

/**
 * body-parser's own failures that no app handled with a code: an unsupported charset or
 * content encoding (415), and a NetcredError thrown by a `verify` hook (its own code).
 * Anything else is returned as it is (size and syntax errors keep each app's handling).
 */
export function typedBodyError(err: unknown): unknown {
  if (err instanceof BodyError) return err;
  const e = err as { type?: unknown; message?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : 'unsupported request body';
  if (e?.type === 'charset.unsupported') return new BodyError('CHARSET_UNSUPPORTED', message, { cause: err });
  if (e?.type === 'encoding.unsupported') return new BodyError('CONTENT_ENCODING_UNSUPPORTED', message, { cause: err });
  if (isNetcredError(err) && e?.type === 'entity.verify.failed') return new BodyError(err.code, err.message, { cause: err });
  return err;
}

/** Wraps a body parser so that its failures reach the error handler typed (typedBodyError). */
export function typedBodyErrors(parser: RequestHandler): RequestHandler {
  return (req, res, next) => parser(req, res, (err?: unknown) => (err === undefined ? next() : next(typedBodyError(err))));
}

export type JsonBodyOptions = {
  /** Largest body (bytes, or a string such as '64kb'). */
  limit: number | string;
  /** Only objects and arrays at the top level (express' default: true). */
  strict?: boolean;
  /** Deepest nesting accepted (default MAX_JSON_DEPTH): INPUT_TOO_DEEP, 400, before parsing. */
  maxDepth?: number;
};

/** TextDecoder for a JSON charset body-parser accepted (`utf-*`); 415 for one it cannot read. */
function decodeBody(buf: Buffer, encoding: string | null): string {
  if (encoding === null || encoding === 'utf-8' || encoding === 'utf8') return buf.toString('utf8');
  try {
    return new TextDecoder(encoding).decode(buf);
  } catch (cause) {
    throw new BodyError('CHARSET_UNSUPPORTED', `unsupported charset "${encoding.toUpperCase()}"`, { cause });
  }
}

/**
 * express.json with the nesting bound checked on the raw text before JSON.parse: a route never
 * receives a body nested deeper than `maxDepth`, whatever it does with it afterwards. Every
 * failure reaches the error handler typed (typedBodyError).
 */
export function jsonBody(options: JsonBodyOptions): RequestHandler {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  return typedBodyErrors(
    express.json({
      limit: options.limit,
      strict: options.strict ?? true,
      verify: (_req, _res, buf, encoding) => assertJsonDepth(decodeBody(buf, encoding as string | null), 'request body', maxDepth),
    }),
  );
}
