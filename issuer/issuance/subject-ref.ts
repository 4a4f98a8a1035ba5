import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { IssuerContext } from '../context.js';

// HKDF on every issuance cost more than the HMAC itself: keep the derived key per deriveKey
// function (one per opened issuer; a `{...ctx}` copy shares it).
const keys = new WeakMap<IssuerContext['deriveKey'], KeyObject>();

/**
 * A stable, keyed reference to a person: HMAC-SHA256 of the id_number under a key derived
 * from the issuer secret. It links a re-issue to earlier credentials without storing the
 * number; without the secret it cannot be reversed by trying every possible number.
 */
export function subjectRef(ctx: Pick<IssuerContext, 'deriveKey'>, idNumber: string): string {
  let key = keys.get(ctx.deriveKey);
  if (!key) keys.set(ctx.deriveKey, (key = createSecretKey(ctx.deriveKey('subject-ref'))));
  return createHmac('sha256', key).update(idNumber, 'utf8').digest('base64url');
}
