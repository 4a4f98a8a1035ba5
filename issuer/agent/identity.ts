import { didKeyDocument, didKeyFromJwk } from '../../core/did/did-key.js';
import { didWebFromUrl } from '../../core/did/did-web.js';
import { singleKeyDocument, type DIDDocument } from '../../core/did/document.js';
import { NetcredError } from '../../core/errors.js';
import type { JwsAlg } from '../../core/jose/alg.js';
import type { PublicJwk } from '../../core/jose/jwk.js';
import type { DidMethod } from '../config.js';
import { KMS_NAME } from './create-agent.js';
import { ALG_OF, isManagedKeyType, jwkFromPublicKeyHex, KEY_TYPE_OF } from './key-codec.js';
import type { IssuerAgent } from './types.js';

/** The issuer's signing identity: DID, the DID URL of its key (`kid`), the Veramo key handle. */
export type IssuerIdentity = { did: string; kid: string; keyRef: string; jwk: PublicJwk; didDocument: DIDDocument };

/** Fragment of the issuer key in a did:web document (did:key uses its method-specific id). */
export const WEB_KEY_FRAGMENT = 'key-1';
const ISSUER_ALIAS = 'issuer';

/** Creates the issuer DID and its key through the agent's DIDManager; returns the DID. */
export async function createIssuerIdentifier(agent: IssuerAgent, options: { didMethod: DidMethod; alg: JwsAlg; publicUrl: string }): Promise<string> {
  const keyType = KEY_TYPE_OF[options.alg];
  if (options.didMethod === 'key') {
    const id = await agent.didManagerCreate({ provider: 'did:key', alias: ISSUER_ALIAS, kms: KMS_NAME, options: { keyType } });
    return id.did;
  }
  // Veramo's WebDIDProvider names the DID `did:web:<alias>`.
  const did = didWebFromUrl(options.publicUrl);
  const id = await agent.didManagerCreate({ provider: 'did:web', alias: did.slice('did:web:'.length), kms: KMS_NAME, options: { keyType } });
  return id.did;
}

/** Loads the issuer DID's key from the agent and builds the DID document served for it. */
export async function loadIssuerIdentity(agent: IssuerAgent, did: string, alg: JwsAlg): Promise<IssuerIdentity> {
  let identifier;
  try {
    identifier = await agent.didManagerGet({ did });
  } catch (cause) {
    throw new NetcredError('ISSUER_CORRUPT', `the issuer database has no identifier ${did}`, { cause });
  }
  const key = identifier.keys.find((k) => k.kid === identifier.controllerKeyId) ?? identifier.keys[0];
  if (!key || !isManagedKeyType(key.type) || ALG_OF[key.type] !== alg) {
    throw new NetcredError('ISSUER_CORRUPT', `the issuer DID ${did} has no ${alg} key`);
  }
  const jwk = jwkFromPublicKeyHex(key.type, key.publicKeyHex);
  if (did.startsWith('did:key:')) {
    if (didKeyFromJwk(jwk) !== did) throw new NetcredError('ISSUER_CORRUPT', `the issuer key does not match ${did}`);
    return { did, kid: `${did}#${did.slice('did:key:'.length)}`, keyRef: key.kid, jwk, didDocument: didKeyDocument(did) };
  }
  if (did.startsWith('did:web:')) {
    return { did, kid: `${did}#${WEB_KEY_FRAGMENT}`, keyRef: key.kid, jwk, didDocument: singleKeyDocument(did, WEB_KEY_FRAGMENT, jwk) };
  }
  throw new NetcredError('ISSUER_CORRUPT', `unsupported issuer DID ${did}`);
}
