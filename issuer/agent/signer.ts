import type { JwsAlg } from '../../core/jose/alg.js';
import type { JwsSigner } from '../../core/jose/signer.js';
import type { IssuerAgent } from './types.js';

/**
 * A JwsSigner that signs through `agent.keyManagerSign`. Veramo types `data` as a string
 * (with an encoding), but KeyManager 7 passes a Uint8Array through to the KMS untouched
 * (key-manager.js: `typeof data === 'string' ? decode : data`): the exact bytes, without two
 * string conversions per signature. The KMS answers base64url, decoded back to the raw
 * signature (EdDSA 64 bytes, ES256 r||s). `x5c`: the issuer's certificate chain (leaf first,
 * no root), sent in every header when the issuer has one.
 */
export function agentSigner(agent: IssuerAgent, keyRef: string, alg: JwsAlg, kid: string, x5c?: readonly string[]): JwsSigner {
  return {
    alg,
    kid,
    ...(x5c ? { x5c } : {}),
    async sign(data: Uint8Array): Promise<Uint8Array> {
      const signature = await agent.keyManagerSign({ keyRef, algorithm: alg, data: data as unknown as string });
      return Buffer.from(signature, 'base64url');
    },
  };
}
