import type { JwsSigner } from '../../core/jose/signer.js';
import { signCompact } from '../../core/jose/sign.js';
import type { SdHashAlg } from '../../core/sd-jwt/hash.js';
import { sdHashOf } from '../../core/sd-jwt/sd-hash.js';

/** The KB-JWT claims a holder signs: the verifier (`aud`), its `nonce` and the time (`iat`). */
export type KbJwtInput = { aud: string; nonce: string; iat: number };

/**
 * Appends a KB-JWT (RFC 9901 section 4.3) to `<jwt>~<D1>~...~<Dn>~`: header typ kb+jwt with the
 * holder key's alg; payload iat, aud, nonce and sd_hash over exactly that string.
 */
export async function appendKbJwt(sdJwtWithTilde: string, hashAlg: SdHashAlg, input: KbJwtInput, signer: JwsSigner): Promise<string> {
  const payload = { iat: input.iat, aud: input.aud, nonce: input.nonce, sd_hash: sdHashOf(sdJwtWithTilde, hashAlg) };
  const kb = await signCompact({ typ: 'kb+jwt' }, payload, signer);
  return `${sdJwtWithTilde}${kb}`;
}
