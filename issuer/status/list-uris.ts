import type { IssuerContext } from '../context.js';

/** The URL of an IETF status list token; credentials keep it, so it is stored with the list. */
export function listUri(ctx: IssuerContext, id: number): string {
  return `${ctx.config.publicUrl.replace(/\/+$/, '')}/status/lists/${id}`;
}

/** The URI of the issuer's status list aggregation (`<public URL>/status/aggregation`). */
export function aggregationUri(ctx: IssuerContext): string {
  return `${ctx.config.publicUrl.replace(/\/+$/, '')}/status/aggregation`;
}

/** The W3C list credential URL of one purpose of an IETF list. */
export function bitstringCredentialUri(uri: string, purpose: 'revocation' | 'suspension'): string {
  return `${uri}/bitstring/${purpose}`;
}
