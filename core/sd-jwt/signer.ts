import type { Signer } from '@sd-jwt/types';
import { b64uEncode } from '../encoding/base64url.js';
import type { JwsSigner } from '../jose/signer.js';

/** Adapts a JwsSigner to @sd-jwt's Signer: input is the ASCII signing input, output the base64url signature. */
export function sdJwtSigner(signer: JwsSigner): Signer {
  return async (data: string) => b64uEncode(await signer.sign(Buffer.from(data, 'ascii')));
}
