import { parseJsonBounded } from '../encoding/json.js';
import { VerificationError } from '../verification-errors.js';

const PART = /^[A-Za-z0-9_-]+$/;

/**
 * RFC 9901 section 8 (flattened JWS JSON serialization): rebuilds the compact form
 * `<protected>.<payload>.<signature>~<D1>~...~[KB-JWT]`, whose bytes are what digests and
 * `sd_hash` are computed over. The general form (several signatures) is not accepted.
 */
export function compactFromJson(text: string): string {
  // The caller bounded the size; INPUT_TOO_DEEP passes through as its own verdict.
  const doc = parseJsonBounded(
    text,
    'the JSON serialized presentation',
    (cause) => new VerificationError('MALFORMED', 'the presentation is neither a compact SD-JWT nor JSON', { cause }),
  );
  if (typeof doc === 'string') return compactFromJson(doc);
  const o = doc as Record<string, unknown> | null;
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new VerificationError('MALFORMED', 'JSON serialized SD-JWT must be an object');
  if ('signatures' in o) throw new VerificationError('MALFORMED', 'the general JWS JSON serialization is not supported');
  const { protected: prot, payload, signature } = o;
  if (typeof prot !== 'string' || typeof payload !== 'string' || typeof signature !== 'string' || ![prot, payload, signature].every((p) => PART.test(p))) {
    throw new VerificationError('MALFORMED', 'JSON serialized SD-JWT needs protected, payload and signature strings');
  }
  const header = (o.header ?? {}) as Record<string, unknown>;
  if (typeof header !== 'object' || Array.isArray(header)) throw new VerificationError('MALFORMED', 'unprotected header must be an object');
  const disclosures = header.disclosures ?? [];
  if (!Array.isArray(disclosures) || !disclosures.every((d) => typeof d === 'string' && d !== '')) {
    throw new VerificationError('MALFORMED', 'header.disclosures must be an array of strings');
  }
  const kb = header.kb_jwt;
  if (kb !== undefined && typeof kb !== 'string') throw new VerificationError('MALFORMED', 'header.kb_jwt must be a string');
  return `${[`${prot}.${payload}.${signature}`, ...(disclosures as string[])].join('~')}~${kb ?? ''}`;
}
