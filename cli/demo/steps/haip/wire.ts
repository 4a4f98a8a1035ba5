import type { FetchLike } from '../../../../core/http/fetch-bounded.js';

/** One HTTP exchange as it went over the wire. */
export type Exchange = {
  method: string;
  url: URL;
  requestHeaders: Headers;
  requestBody: string | undefined;
  status: number;
  responseHeaders: Headers;
  responseBody: string;
};

/**
 * A fetch that records every exchange a client makes (what an observer of the wire would see),
 * handed to the wallet's OpenID4VCI and OpenID4VP clients so the demo can show what was sent
 * and answered: proofs, tokens, request objects, the encrypted answer.
 */
export class Wire {
  readonly exchanges: Exchange[] = [];

  readonly fetch: FetchLike = async (input, init) => {
    const res = await fetch(input, init);
    // The client reads the body itself: keep a copy (the answers here are small).
    const responseBody = await res.clone().text();
    this.exchanges.push({
      method: (init?.method ?? 'GET').toUpperCase(),
      url: new URL(String(input)),
      requestHeaders: new Headers(init?.headers),
      requestBody: typeof init?.body === 'string' ? init.body : init?.body === undefined || init.body === null ? undefined : String(init.body),
      status: res.status,
      responseHeaders: res.headers,
      responseBody,
    });
    return res;
  };

  /** The exchanges of one method on a path (the URL's pathname ends with it), in order. */
  all(method: string, pathEnd: string): Exchange[] {
    return this.exchanges.filter((e) => e.method === method && e.url.pathname.endsWith(pathEnd));
  }

  /** The last successful (2xx) exchange of a method on a path. */
  ok(method: string, pathEnd: string): Exchange | undefined {
    return this.all(method, pathEnd)
      .filter((e) => e.status >= 200 && e.status < 300)
      .pop();
  }
}

/** A JSON body as an object (empty when it is not one). */
export function jsonOf(text: string | undefined): Record<string, unknown> {
  try {
    const v = JSON.parse(text ?? '') as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The header and payload of a compact JWS or JWE (protected header only), unverified: what anyone on the wire reads. */
export function peekJose(compact: string | null | undefined): { header: Record<string, unknown>; payload: Record<string, unknown>; parts: number } {
  const parts = (compact ?? '').split('.');
  const part = (i: number) => jsonOf(parts[i] ? Buffer.from(parts[i], 'base64url').toString('utf8') : '');
  return { header: part(0), payload: parts.length === 3 ? part(1) : {}, parts: parts.length };
}
