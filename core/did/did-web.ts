import { DidError } from '../errors.js';

/**
 * did:web <-> URL of its DID document (did:web method spec): `did:web:host` ->
 * `https://host/.well-known/did.json`; `did:web:host:a:b` -> `https://host/a/b/did.json`;
 * a port is percent-encoded (`host%3A8443`).
 */
export function didWebToUrl(did: string, options: { insecure?: boolean } = {}): string {
  const id = did.split('#')[0]!;
  const m = /^did:web:([A-Za-z0-9.%-]+(?::[A-Za-z0-9._~%-]+)*)$/.exec(id);
  if (!m) throw new DidError('DID_INVALID', `not a did:web: ${id}`);
  const [hostPart, ...path] = m[1]!.split(':');
  const host = decodeURIComponent(hostPart!);
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host)) throw new DidError('DID_INVALID', `did:web host is invalid: ${host}`);
  const scheme = options.insecure ? 'http' : 'https';
  const suffix = path.length ? `/${path.map(decodeURIComponent).join('/')}/did.json` : '/.well-known/did.json';
  return `${scheme}://${host}${suffix}`;
}

/** The did:web for a public base URL (`https://example.org/issuers/1` -> `did:web:example.org:issuers:1`). */
export function didWebFromUrl(publicUrl: string): string {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch (cause) {
    throw new DidError('DID_INVALID', `not a URL: ${publicUrl}`, { cause });
  }
  const host = url.port ? `${url.hostname}%3A${url.port}` : url.hostname;
  const path = url.pathname.split('/').filter(Boolean).map(encodeURIComponent);
  return ['did:web', host, ...path].join(':');
}
