import { b64uEncode } from '../encoding/base64url.js';
import type { JwsSigner } from './signer.js';

export type JwsHeader = { alg: string; typ?: string; kid?: string; [k: string]: unknown };

/**
 * Signs a compact JWS. The header's `alg` (and `kid`, unless given) come from the signer,
 * so a caller can never label a signature with an algorithm it was not made with.
 */
export async function signCompact(header: Omit<JwsHeader, 'alg'>, payload: object | Uint8Array, signer: JwsSigner): Promise<string> {
  const fullHeader: JwsHeader = { alg: signer.alg, ...header };
  fullHeader.alg = signer.alg;
  if (fullHeader.kid === undefined && signer.kid !== undefined) fullHeader.kid = signer.kid;
  const body = payload instanceof Uint8Array ? b64uEncode(payload) : b64uEncode(JSON.stringify(payload));
  const signingInput = `${b64uEncode(JSON.stringify(fullHeader))}.${body}`;
  const signature = await signer.sign(Buffer.from(signingInput, 'ascii'));
  return `${signingInput}.${b64uEncode(signature)}`;
}
