import type { DIDDocument, VerificationMethod } from 'did-resolver';
import type { PublicJwk } from '../jose/jwk.js';

export type { DIDDocument, VerificationMethod };

/** A one-key DID document whose key is listed under every verification relationship we use. */
export function singleKeyDocument(did: string, fragment: string, jwk: PublicJwk): DIDDocument {
  const id = `${did}#${fragment}`;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: did,
    verificationMethod: [{ id, type: 'JsonWebKey2020', controller: did, publicKeyJwk: jwk as VerificationMethod['publicKeyJwk'] }],
    authentication: [id],
    assertionMethod: [id],
    capabilityInvocation: [id],
    capabilityDelegation: [id],
  };
}

/** Absolute id of a verification method; DID documents may use relative `#frag` ids. */
export function absoluteVmId(did: string, id: string): string {
  return id.startsWith('#') ? `${did}${id}` : id;
}
