/**
 * fetch for the pages: JSON in, JSON out, and our OAuth-style errors (`error`,
 * `error_description`, `code`) read into an ApiError instead of a bare status.
 */
export class ApiError extends Error {
  readonly status: number;
  /** OAuth `error` ('invalid_request', 'temporarily_unavailable', ...; 'network_error' when nothing answered). */
  readonly error: string;
  /** netcred's stable code, when the server sent one. */
  readonly code: string | undefined;
  readonly retryAfter: number | undefined;
  /** The failing fields of an input error, when the server lists them (`details`: path, message). */
  readonly details: { path: string; message: string }[];
  constructor(status: number, error: string, description: string, code?: string, retryAfter?: number, details: { path: string; message: string }[] = []) {
    super(description);
    this.name = 'ApiError';
    this.status = status;
    this.error = error;
    this.code = code;
    this.retryAfter = retryAfter;
    this.details = details;
  }
}

export type JsonRequest = Omit<RequestInit, 'body'> & { json?: unknown; bearer?: string; timeoutMs?: number };

/** Sends `json` (if any) and answers the parsed JSON body of a 2xx; anything else is an ApiError. */
export async function fetchJson<T = unknown>(url: string, init: JsonRequest = {}): Promise<T> {
  const { json, bearer, timeoutMs, headers, ...rest } = init;
  const h = new Headers(headers);
  h.set('Accept', 'application/json');
  if (json !== undefined) h.set('Content-Type', 'application/json');
  if (bearer) h.set('Authorization', `Bearer ${bearer}`);
  let res: Response;
  try {
    res = await fetch(url, {
      ...rest,
      headers: h,
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      ...(timeoutMs ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
    });
  } catch (cause) {
    throw new ApiError(0, 'network_error', cause instanceof Error ? cause.message : String(cause));
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (res.ok) return body as T;
  const b = (body && typeof body === 'object' ? body : {}) as { error?: unknown; error_description?: unknown; code?: unknown; details?: unknown };
  const details = Array.isArray(b.details)
    ? b.details.filter((d): d is { path: string; message: string } => typeof d?.path === 'string' && typeof d?.message === 'string')
    : [];
  const retry = Number(res.headers.get('Retry-After'));
  throw new ApiError(
    res.status,
    typeof b.error === 'string' ? b.error : `http_${res.status}`,
    typeof b.error_description === 'string' ? b.error_description : text.slice(0, 200) || res.statusText,
    typeof b.code === 'string' ? b.code : undefined,
    Number.isFinite(retry) && retry > 0 ? retry : undefined,
    details,
  );
}
