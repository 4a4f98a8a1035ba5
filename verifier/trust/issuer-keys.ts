import type { KeyObject } from 'node:crypto';
import { didJwkDocument } from '../../core/did/did-jwk.js';
import { didKeyDocument } from '../../core/did/did-key.js';
import { absoluteVmId, type DIDDocument } from '../../core/did/document.js';
import { assertPublicJwk, importPublicJwk, type PublicJwk } from '../../core/jose/jwk.js';
import { TrustBundleError, type TrustedIssuer } from './bundle.js';

export type IssuerKey = { kid?: string; jwk: PublicJwk; key: KeyObject };

/** The DID document of a trusted DID issuer: computed for did:key / did:jwk, pinned for did:web. */
function documentOf(issuer: TrustedIssuer): DIDDocument {
  const { id } = issuer;
  if (id.startsWith('did:key:')) return didKeyDocument(id);
  if (id.startsWith('did:jwk:')) return didJwkDocument(id);
  if (id.startsWith('did:web:')) {
    if (!issuer.didDocument) throw new TrustBundleError(`${id}: a did:web issuer needs its pinned didDocument`);
    if (issuer.didDocument.id !== id) throw new TrustBundleError(`${id}: didDocument.id is ${String(issuer.didDocument.id)}`);
    return issuer.didDocument;
  }
  throw new TrustBundleError(`${id}: unsupported DID method (did:key, did:jwk, did:web)`);
}

/** Keys allowed to sign credentials: the assertionMethod ones (every key if the document lists none). */
function didKeys(issuer: TrustedIssuer): IssuerKey[] {
  const doc = documentOf(issuer);
  const did = issuer.id;
  const assertion = doc.assertionMethod?.map((a) => absoluteVmId(did, typeof a === 'string' ? a : a.id));
  const embedded = (doc.assertionMethod ?? []).filter((a) => typeof a !== 'string');
  const vms = [...(doc.verificationMethod ?? []), ...embedded];
  const out: IssuerKey[] = [];
  for (const vm of vms) {
    const kid = absoluteVmId(did, vm.id);
    if (assertion && !assertion.includes(kid)) continue;
    if (!vm.publicKeyJwk) continue;
    if (out.some((k) => k.kid === kid)) continue;
    // Only keys of the DID itself: a document may not lend out another DID's key.
    if (kid.split('#')[0] !== did) continue;
    out.push({ kid, jwk: vm.publicKeyJwk as PublicJwk, key: importPublicJwk(vm.publicKeyJwk, `key ${kid}`) });
  }
  return out;
}

function jwksKeys(issuer: TrustedIssuer): IssuerKey[] {
  return (issuer.jwks?.keys ?? []).map((jwk, n) => {
    assertPublicJwk(jwk, `${issuer.id} jwks.keys[${n}]`);
    const k: IssuerKey = { jwk, key: importPublicJwk(jwk) };
    if (typeof jwk.kid === 'string') k.kid = jwk.kid;
    return k;
  });
}

/** Imports a trusted issuer's keys once, as node:crypto KeyObjects. */
export function importIssuerKeys(issuer: TrustedIssuer): IssuerKey[] {
  let keys: IssuerKey[];
  try {
    keys = issuer.id.startsWith('did:') ? didKeys(issuer) : jwksKeys(issuer);
  } catch (cause) {
    if (cause instanceof TrustBundleError) throw cause;
    throw new TrustBundleError(`${issuer.id}: ${(cause as Error).message}`, cause);
  }
  if (keys.length === 0) throw new TrustBundleError(`${issuer.id}: no usable Ed25519 or P-256 signing key`);
  return keys;
}
