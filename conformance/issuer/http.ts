/** The few HTTP calls of an OpenID4VCI check: JSON in and out, bounded in time. */
export type Answer = { status: number; body: Record<string, unknown>; text: string };

export async function call(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<Answer> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs ?? 15_000) });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    // not JSON: the text is reported as is
  }
  return { status: res.status, body, text };
}

/** RFC 8615 / RFC 8414: the well-known path goes between the host and the issuer's path. */
export function wellKnown(issuer: string, name: string): string {
  const u = new URL(issuer);
  const path = u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '');
  return `${u.origin}/.well-known/${name}${path}`;
}

export const form = (params: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(params).toString(),
});

export const json = (body: unknown, token?: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) },
  body: JSON.stringify(body),
});
