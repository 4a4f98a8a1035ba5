import type { IssuerContext } from '../context.js';
import { OID4VCI_LIMITS } from './config.js';
import { randomSecret, secretHash } from './secrets.js';
import { consumeNonce, insertNonce, nowSeconds } from './store.js';

/** Nonce endpoint (OpenID4VCI 1.0 section 7): a fresh c_nonce, stored hashed, single use. */
export async function issueNonce(ctx: IssuerContext): Promise<{ c_nonce: string }> {
  const nonce = randomSecret();
  await insertNonce(ctx.dataSource, secretHash(nonce), nowSeconds() + OID4VCI_LIMITS.nonceTtl);
  return { c_nonce: nonce };
}

/** True once for a nonce we issued that has not expired; false for unknown, reused or stale ones. */
export function takeNonce(ctx: IssuerContext, nonce: string): Promise<boolean> {
  return consumeNonce(ctx.dataSource, secretHash(nonce), nowSeconds());
}
