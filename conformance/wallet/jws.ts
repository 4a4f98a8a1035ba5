import { sign, type KeyObject } from 'node:crypto';
import { b64json } from '../vectors/jws.js';

/** An ES256 JWS (JOSE r||s signature) over any header: the hostile requests need headers no signer of ours would write. */
export function signEs256(header: Record<string, unknown>, payload: unknown, key: KeyObject): string {
  return signEs256Json(header, JSON.stringify(payload), key);
}

/** signEs256 over a payload given as JSON text (one JSON.stringify would recurse through a deeply nested value). */
export function signEs256Json(header: Record<string, unknown>, payloadJson: string, key: KeyObject): string {
  const input = `${b64json({ alg: 'ES256', ...header })}.${Buffer.from(payloadJson, 'utf8').toString('base64url')}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

/** An unsecured JWS (`alg: none`, empty signature, RFC 7515 appendix A.5). */
export function unsecured(header: Record<string, unknown>, payload: unknown): string {
  return `${b64json({ alg: 'none', ...header })}.${b64json(payload)}.`;
}
