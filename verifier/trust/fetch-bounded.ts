import { NetcredError } from '../../core/errors.js';
import { fetchBounded as fetchBoundedCore, FetchBoundedError, parseFetchUrl } from '../../core/http/fetch-bounded.js';
import { assertJsonDepth } from '../../core/encoding/json.js';

/** Every failure of an online sync is SYNC_FAILED; the message says which step and why. */
function asSyncFailed(err: unknown): unknown {
  return err instanceof FetchBoundedError ? new NetcredError('SYNC_FAILED', err.message, { cause: err }) : err;
}

/** Only HTTPS, except plain HTTP to the loopback host (tests, a local demo issuer). */
export function checkFetchUrl(raw: string): URL {
  try {
    return parseFetchUrl(raw);
  } catch (err) {
    throw asSyncFailed(err);
  }
}

export type FetchLimits = { maxBytes: number; timeoutMs: number };

/** GET with a timeout and a body size bound (read as a stream, aborted past the bound). */
export async function fetchBounded(raw: string, accept: string, limits: FetchLimits): Promise<string> {
  let res;
  try {
    res = await fetchBoundedCore(raw, { headers: { accept } }, limits);
  } catch (err) {
    throw asSyncFailed(err);
  }
  if (!res.ok) throw new NetcredError('SYNC_FAILED', `GET ${raw} answered ${res.status}`);
  return res.text;
}

export async function fetchJson(raw: string, limits: FetchLimits): Promise<unknown> {
  const text = await fetchBounded(raw, 'application/json', limits);
  assertJsonDepth(text, `GET ${raw}`);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new NetcredError('SYNC_FAILED', `GET ${raw} did not answer JSON`, { cause });
  }
}
