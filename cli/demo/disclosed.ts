import { decodeSdJwt } from '../../core/sd-jwt/decode.js';

/**
 * The claims an SD-JWT(+KB) actually reveals through its disclosures (top-level name -> value),
 * read from the presentation itself, as anyone on the wire would see them.
 */
export function disclosedClaims(presentation: string): Record<string, unknown> {
  const d = decodeSdJwt(presentation);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d.claims)) if (!(k in d.payload)) out[k] = v;
  return out;
}

/** Top-level claim names, sorted (for comparing with a profile). */
export const names = (claims: Record<string, unknown>): string[] => Object.keys(claims).sort();
