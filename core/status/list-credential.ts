import { NetcredError } from '../errors.js';
import type { StatusListSelf } from './binding.js';

/** A W3C BitstringStatusListCredential's claims, read from its (already decoded) JWT payload. */
export type BitstringListCredential = {
  /** `id`, `issuer` (or `issuer.id`), `iss`, `exp` (else `validUntil`): what binds it (core/status/binding.ts). */
  self: StatusListSelf;
  /** JWT `iat`, else `validFrom` (seconds). */
  iat?: number;
  /** `credentialSubject.statusPurpose`: a string, or an array of strings. Empty when absent. */
  purposes: string[];
  encodedList: string;
  /** `credentialSubject.ttl`, in milliseconds as W3C gives it. */
  ttlMs?: number;
};

function invalid(message: string): NetcredError {
  return new NetcredError('STATUS_LIST_INVALID', message);
}

const dateSeconds = (v: unknown): number | undefined =>
  typeof v === 'string' && Number.isFinite(Date.parse(v)) ? Math.floor(Date.parse(v) / 1000) : undefined;

/**
 * The list credential's claims: VCDM 2.0 claims directly in the payload, or (a VCDM 1.1 JWT)
 * under `vc`. Not a BitstringStatusListCredential, or no `encodedList`: STATUS_LIST_INVALID.
 * Nothing is checked against the credential here: that is statusListBindingProblem's job.
 */
export function readBitstringListCredential(payload: Record<string, unknown>, where = 'status list credential'): BitstringListCredential {
  const wrapped = !!payload.vc && typeof payload.vc === 'object';
  const vc = (wrapped ? payload.vc : payload) as Record<string, unknown>;
  const types = Array.isArray(vc.type) ? vc.type : [vc.type];
  if (!types.includes('BitstringStatusListCredential')) throw invalid(`${where} is not a BitstringStatusListCredential`);
  const subject = vc.credentialSubject as Record<string, unknown> | undefined;
  if (!subject || typeof subject !== 'object' || typeof subject.encodedList !== 'string') throw invalid(`${where} has no credentialSubject.encodedList`);
  let issuer = typeof vc.issuer === 'object' && vc.issuer !== null ? (vc.issuer as { id?: unknown }).id : vc.issuer;
  let id = vc.id;
  // A VCDM 1.1 JWT may carry `id` as `jti` and `issuer` as `iss` only.
  if (wrapped && id === undefined) id = payload.jti;
  if (wrapped && issuer === undefined) issuer = payload.iss;
  const self: StatusListSelf = { kind: 'bitstring', id, issuer };
  if (payload.iss !== undefined) self.iss = payload.iss;
  const exp = typeof payload.exp === 'number' ? payload.exp : dateSeconds(vc.validUntil);
  if (exp !== undefined) self.exp = exp;
  const sp = subject.statusPurpose;
  const purposes = typeof sp === 'string' ? [sp] : Array.isArray(sp) ? sp.filter((p): p is string => typeof p === 'string') : [];
  const out: BitstringListCredential = { self, purposes, encodedList: subject.encodedList };
  const iat = typeof payload.iat === 'number' ? payload.iat : dateSeconds(vc.validFrom);
  if (iat !== undefined) out.iat = iat;
  if (typeof subject.ttl === 'number') out.ttlMs = subject.ttl;
  return out;
}
