import type { KeyObject } from 'node:crypto';
import { Resolver, type DIDResolutionResult, type DIDResolver } from 'did-resolver';
import { DidError, NetcredError } from '../errors.js';
import { importPublicJwk, type PublicJwk } from '../jose/jwk.js';
import { didJwkDocument } from './did-jwk.js';
import { didKeyDocument } from './did-key.js';
import { didWebToUrl } from './did-web.js';
import { absoluteVmId, type DIDDocument } from './document.js';
import { assertJsonDepth } from '../encoding/json.js';

/** How createDidResolver finds did:web documents: pinned ones, the network (off by default), its bounds. */
export type DidResolverOptions = {
  /** Pinned did:web documents (a verifier's trust bundle); consulted before any network. */
  webDocuments?: ReadonlyMap<string, DIDDocument> | Record<string, DIDDocument>;
  /** Allow fetching did:web documents over HTTP(S). Off by default: resolution is offline. */
  allowNetwork?: boolean;
  /** Use http:// for did:web (tests on 127.0.0.1 only). */
  insecureWeb?: boolean;
  /** Upper bound on a fetched DID document, in bytes. */
  maxDocumentBytes?: number;
  fetchTimeoutMs?: number;
};

function ok(didDocument: DIDDocument): DIDResolutionResult {
  return { didResolutionMetadata: { contentType: 'application/did+json' }, didDocument, didDocumentMetadata: {} };
}

function fail(error: string, message: string): DIDResolutionResult {
  return { didResolutionMetadata: { error, message }, didDocument: null, didDocumentMetadata: {} };
}

function offline(build: (did: string) => DIDDocument): DIDResolver {
  return async (did) => {
    try {
      return ok(build(did));
    } catch (err) {
      return fail('invalidDid', err instanceof Error ? err.message : String(err));
    }
  };
}

function webResolver(options: DidResolverOptions): DIDResolver {
  const pinned = options.webDocuments instanceof Map ? options.webDocuments : new Map(Object.entries(options.webDocuments ?? {}));
  return async (did) => {
    const doc = pinned.get(did);
    if (doc) return ok(doc);
    if (!options.allowNetwork) return fail('notFound', `did:web ${did} is not in the trust bundle and network resolution is off`);
    let url: string;
    try {
      url = didWebToUrl(did, { insecure: options.insecureWeb });
    } catch (err) {
      return fail('invalidDid', (err as Error).message);
    }
    try {
      const res = await fetch(url, {
        signal: AbortSignal.timeout(options.fetchTimeoutMs ?? 5000),
        headers: { accept: 'application/did+json, application/json' },
      });
      if (!res.ok) return fail('notFound', `GET ${url} answered ${res.status}`);
      const text = await res.text();
      if (text.length > (options.maxDocumentBytes ?? 64 * 1024)) return fail('invalidDidDocument', `DID document at ${url} is too large`);
      assertJsonDepth(text, `DID document at ${url}`);
      const fetched = JSON.parse(text) as DIDDocument;
      if (fetched.id !== did) return fail('invalidDidDocument', `DID document at ${url} has id ${String(fetched.id)}, not ${did}`);
      return ok(fetched);
    } catch (err) {
      return fail('notFound', `cannot fetch ${url}: ${(err as Error).message}`);
    }
  };
}

/** did-resolver methods for did:key, did:jwk (offline) and did:web (pinned, or fetched when allowed). */
export function didMethodResolvers(options: DidResolverOptions = {}): Record<string, DIDResolver> {
  return { key: offline(didKeyDocument), jwk: offline(didJwkDocument), web: webResolver(options) };
}

/**
 * A did-resolver Resolver for did:key and did:jwk (offline) and did:web (pinned documents first;
 * over HTTPS only with `allowNetwork`).
 *
 * @example
 * ```ts
 * const doc = await resolveDidDocument(createDidResolver(), 'did:jwk:eyJrdHkiOi...');
 * ```
 */
export function createDidResolver(options: DidResolverOptions = {}): Resolver {
  return new Resolver(didMethodResolvers(options), { cache: false });
}

/**
 * The DID document of `did` through `resolver`.
 *
 * @throws DidError `DID_INVALID` (not a DID), `DID_UNSUPPORTED_METHOD` (not key, jwk or web),
 * `DID_NOT_FOUND` (no document could be resolved).
 */
export async function resolveDidDocument(resolver: Resolver, did: string): Promise<DIDDocument> {
  const method = /^did:([a-z0-9]+):/.exec(did)?.[1];
  if (!method) throw new DidError('DID_INVALID', `not a DID: ${did}`);
  if (!['key', 'jwk', 'web'].includes(method)) throw new DidError('DID_UNSUPPORTED_METHOD', `DID method ${method} is not supported (key, jwk, web)`);
  let result: DIDResolutionResult;
  try {
    result = await resolver.resolve(did);
  } catch (cause) {
    throw new DidError('DID_NOT_FOUND', `cannot resolve ${did}`, { cause });
  }
  const error = result.didResolutionMetadata.error;
  if (error || !result.didDocument) {
    const code = error === 'invalidDid' ? 'DID_INVALID' : 'DID_NOT_FOUND';
    throw new DidError(code, `cannot resolve ${did}: ${result.didResolutionMetadata.message ?? error ?? 'no document'}`);
  }
  return result.didDocument;
}

/**
 * The public JWK a DID URL (`did#frag`) names, which must belong to `did`. With no fragment,
 * the document must have exactly one key (did:key, did:jwk).
 */
export function jwkFromDocument(doc: DIDDocument, did: string, kid?: string): PublicJwk {
  if (kid !== undefined && !(kid.startsWith('#') || kid.split('#')[0] === did)) {
    throw new DidError('KID_MISMATCH', `kid ${kid} does not belong to ${did}`);
  }
  const vms = (doc.verificationMethod ?? []).filter((vm) => vm.publicKeyJwk);
  const wanted = kid === undefined ? undefined : absoluteVmId(did, kid);
  const vm = wanted === undefined ? (vms.length === 1 ? vms[0] : undefined) : vms.find((v) => absoluteVmId(did, v.id) === wanted);
  if (!vm) throw new DidError('KID_MISMATCH', kid ? `${did} has no key ${kid}` : `${did} has no single key; a kid is required`);
  return vm.publicKeyJwk as PublicJwk;
}

/** A plain did:key / did:jwk (no path, query, params or fragment): its document is computed from the identifier. */
const OFFLINE_DID = /^did:(key|jwk):[^#?/;]+$/;

/**
 * did:key and did:jwk documents built directly, without did-resolver's parsing and promise
 * chain (tens of µs per holder at issuance); the errors are the ones resolveDidDocument gives.
 */
function offlineDocument(did: string): DIDDocument | undefined {
  const method = OFFLINE_DID.exec(did)?.[1];
  if (!method) return undefined;
  try {
    return method === 'key' ? didKeyDocument(did) : didJwkDocument(did);
  } catch (err) {
    throw new DidError('DID_INVALID', `cannot resolve ${did}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Resolves a DID (URL) to a KeyObject usable by node:crypto. did:key and did:jwk are computed offline; other methods go through `resolver`. */
export async function resolvePublicKey(resolver: Resolver, did: string, kid?: string): Promise<{ jwk: PublicJwk; key: KeyObject }> {
  const doc = offlineDocument(did) ?? (await resolveDidDocument(resolver, did));
  const jwk = jwkFromDocument(doc, did, kid);
  try {
    return { jwk, key: importPublicJwk(jwk, `key of ${did}`) };
  } catch (cause) {
    if (cause instanceof NetcredError) throw new DidError('DID_UNSUPPORTED_KEY', cause.message, { cause });
    throw cause;
  }
}

/**
 * The public JWK a DID (URL) names, checked as resolvePublicKey checks it, without keeping a
 * KeyObject. A did:key JWK is valid by construction (32 Ed25519 bytes, or a P-256 point
 * decompressed by node:crypto), so it skips the import (a few µs per holder at issuance).
 */
export async function resolvePublicJwk(resolver: Resolver, did: string, kid?: string): Promise<PublicJwk> {
  if (did.startsWith('did:key:')) {
    const doc = offlineDocument(did);
    if (doc) return jwkFromDocument(doc, did, kid);
  }
  return (await resolvePublicKey(resolver, did, kid)).jwk;
}
