import { isAscii } from 'node:buffer';
import type { JwsAlg } from '../../core/jose/alg.js';
import type { JwsSigner } from '../../core/jose/signer.js';
import type { IssuerAgent } from './types.js';

/**
 * A JwsSigner that signs through `agent.keyManagerSign`. Veramo takes the data as a string
 * plus an encoding: JWS signing inputs are ASCII, passed as utf-8 (byte-identical); any
 * other bytes go as base16. The KMS answers base64url, decoded back to the signature bytes.
 */
export function agentSigner(agent: IssuerAgent, keyRef: string, alg: JwsAlg, kid: string): JwsSigner {
  return {
    alg,
    kid,
    async sign(data: Uint8Array): Promise<Uint8Array> {
      const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      const args = isAscii(bytes) ? { data: bytes.toString('latin1'), encoding: 'utf-8' as const } : { data: bytes.toString('hex'), encoding: 'base16' as const };
      const signature = await agent.keyManagerSign({ keyRef, algorithm: alg, ...args });
      return Buffer.from(signature, 'base64url');
    },
  };
}
