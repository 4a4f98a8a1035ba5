import { createDpopKey, createDpopProof, type DpopKey } from '../../core/oauth/dpop.js';
import { exchangeJson, jsonObjectOf, type HttpOptions } from './http.js';

/**
 * The wallet's DPoP for one issuance flow (RFC 9449): a fresh P-256 key made for the flow and kept
 * in memory only (never stored: nothing but this flow's token is bound to it), and the last nonce
 * each server handed out (`DPoP-Nonce`).
 */
export class DpopSession {
  readonly key: DpopKey = createDpopKey();
  private readonly nonces = new Map<string, string>();

  nonceFor(url: URL): string | undefined {
    return this.nonces.get(url.origin);
  }

  /** Keeps the server's latest nonce (sent on errors and successes alike). */
  noteNonce(url: URL, headers: Headers): boolean {
    const nonce = headers.get('dpop-nonce');
    if (!nonce || nonce.length > 512 || !/^[\x21-\x7e]+$/.test(nonce)) return false;
    this.nonces.set(url.origin, nonce);
    return true;
  }

  proof(method: string, url: URL, accessToken?: string): Promise<string> {
    return createDpopProof(this.key, { method, url: url.href, nonce: this.nonceFor(url), accessToken });
  }
}

/** The `error` of a `WWW-Authenticate: DPoP error="..."` challenge (RFC 9449 7.1), if any. */
function dpopChallengeError(headers: Headers): string | undefined {
  const value = headers.get('www-authenticate') ?? '';
  return /^\s*DPoP\b/i.test(value) ? /\berror="([a-z_]+)"/.exec(value)?.[1] : undefined;
}

/**
 * A POST with a DPoP proof (and, for a resource request, `Authorization: DPoP <token>` with the
 * proof's `ath`). When the server answers `use_dpop_nonce` (an authorization server in the JSON
 * body, a resource server in WWW-Authenticate) with a fresh `DPoP-Nonce`, the request is sent once
 * more with a new proof carrying that nonce (RFC 9449 8, 9).
 */
export async function postWithDpop(
  session: DpopSession,
  url: URL,
  request: { headers: Record<string, string>; body: string; accessToken?: string },
  what: string,
  http: HttpOptions,
): Promise<Record<string, unknown>> {
  for (let attempt = 0; ; attempt++) {
    const headers: Record<string, string> = { ...request.headers, DPoP: await session.proof('POST', url, request.accessToken) };
    if (request.accessToken !== undefined) headers.authorization = `DPoP ${request.accessToken}`;
    const { res, body } = await exchangeJson(url, { method: 'POST', headers, body: request.body }, what, http);
    const fresh = session.noteNonce(url, res.headers);
    if (!res.ok && attempt === 0 && fresh) {
      const error = (body as { error?: unknown } | undefined)?.error ?? dpopChallengeError(res.headers);
      if (error === 'use_dpop_nonce') continue;
    }
    return jsonObjectOf(what, res, body);
  }
}
