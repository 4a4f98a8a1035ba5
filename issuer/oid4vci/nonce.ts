import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IssuerContext } from '../context.js';
import { OID4VCI_LIMITS } from './config.js';
import { secretHash } from './secrets.js';
import { recordNonceUse, type Sql } from './store.js';

export const NONCE_KEY_PURPOSE = 'oid4vci-c-nonce';

// c_nonce = base64url(expiry (4 bytes, BE seconds) || 16 random bytes || HMAC-SHA256 truncated to 16 bytes)
const BODY = 20;
const TAG = 16;

function tag(ctx: IssuerContext, body: Buffer): Buffer {
  return createHmac('sha256', ctx.deriveKey(NONCE_KEY_PURPOSE)).update(body).digest().subarray(0, TAG);
}

/**
 * Nonce endpoint (OpenID4VCI 1.0 section 7): a fresh c_nonce. It carries its own expiry under
 * a MAC keyed from the issuer secret, so handing one out writes nothing; its single use is
 * recorded when a credential request spends it (takeNonce).
 */
export function issueNonce(ctx: IssuerContext, now = Math.floor(Date.now() / 1000)): { c_nonce: string; expiresAt: number } {
  const expiresAt = now + OID4VCI_LIMITS.nonceTtl;
  const body = Buffer.alloc(BODY);
  body.writeUInt32BE(expiresAt >>> 0, 0);
  randomBytes(16).copy(body, 4);
  return { c_nonce: Buffer.concat([body, tag(ctx, body)]).toString('base64url'), expiresAt };
}

/** The expiry of a c_nonce we issued, or undefined for one we did not (or that was altered). */
export function nonceExpiry(ctx: IssuerContext, nonce: string): number | undefined {
  if (!/^[A-Za-z0-9_-]{48}$/.test(nonce)) return undefined;
  const raw = Buffer.from(nonce, 'base64url');
  if (raw.length !== BODY + TAG) return undefined;
  const body = raw.subarray(0, BODY);
  if (!timingSafeEqual(raw.subarray(BODY), tag(ctx, body))) return undefined;
  return body.readUInt32BE(0);
}

/**
 * Spends a c_nonce inside the credential request's transaction: true once for a nonce we
 * issued that has not expired; false for unknown, altered, stale or already used ones.
 */
export async function takeNonce(ctx: IssuerContext, sql: Sql, nonce: string, now: number): Promise<boolean> {
  const expiresAt = nonceExpiry(ctx, nonce);
  if (expiresAt === undefined || expiresAt <= now) return false;
  return recordNonceUse(sql, secretHash(nonce), expiresAt);
}
