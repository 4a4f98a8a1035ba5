import { decodeCompact } from '../../core/jose/decode.js';
import { verifyDecoded } from '../../core/jose/verify.js';
import { Bitstring } from '../../core/status/bitstring.js';
import { decodeStatusListToken, STATUS_LIST_JWT_TYP } from '../../core/status/status-list-token.js';
import type { StatusList } from '../../core/status/status-list.js';
import { TrustBundleError, type StatusListEntry } from './bundle.js';
import type { IssuerKey } from './issuer-keys.js';

/** A status list decoded once at bundle load: lookups are a byte read. */
export type CachedStatusList =
  | { kind: 'token'; uri: string; issuer: string; fetchedAt: number; iat: number; exp?: number; ttl?: number; list: StatusList }
  | { kind: 'bitstring'; uri: string; issuer: string; fetchedAt: number; iat?: number; exp?: number; ttl?: number; purpose?: string; list: Bitstring };

/** Picks the signing key of a list by its header kid (or the issuer's only key). */
export function keyForKid(keys: readonly IssuerKey[], kid: unknown, issuer: string): IssuerKey | undefined {
  if (kid === undefined) return keys.length === 1 ? keys[0] : undefined;
  if (typeof kid !== 'string') return undefined;
  const abs = kid.startsWith('#') ? `${issuer}${kid}` : kid;
  return keys.find((k) => k.kid === abs || k.kid === kid);
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

function dateSeconds(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? Math.floor(t / 1000) : undefined;
}

/** The W3C list credential: VCDM 2.0 claims directly in the payload, or (VCDM 1.1 JWT) under `vc`. */
function bitstringFromPayload(entry: StatusListEntry, payload: Record<string, unknown>): CachedStatusList {
  const vc = (payload.vc && typeof payload.vc === 'object' ? payload.vc : payload) as Record<string, unknown>;
  const types = Array.isArray(vc.type) ? vc.type : [vc.type];
  if (!types.includes('BitstringStatusListCredential')) throw new TrustBundleError(`${entry.uri}: not a BitstringStatusListCredential`);
  const issuer = typeof vc.issuer === 'string' ? vc.issuer : (vc.issuer as { id?: unknown } | undefined)?.id;
  if (issuer !== entry.issuer || (payload.iss !== undefined && payload.iss !== entry.issuer)) throw new TrustBundleError(`${entry.uri}: list issuer is not ${entry.issuer}`);
  const subject = vc.credentialSubject as Record<string, unknown> | undefined;
  if (!subject || typeof subject.encodedList !== 'string') throw new TrustBundleError(`${entry.uri}: credentialSubject.encodedList is missing`);
  const list = Bitstring.decode(subject.encodedList);
  const out: CachedStatusList = { kind: 'bitstring', uri: entry.uri, issuer: entry.issuer, fetchedAt: seconds(entry.fetchedAt), list };
  if (typeof subject.statusPurpose === 'string') out.purpose = subject.statusPurpose;
  const iat = typeof payload.iat === 'number' ? payload.iat : dateSeconds(vc.validFrom);
  const exp = typeof payload.exp === 'number' ? payload.exp : dateSeconds(vc.validUntil);
  if (iat !== undefined) out.iat = iat;
  if (exp !== undefined) out.exp = exp;
  if (typeof subject.ttl === 'number') out.ttl = Math.floor(subject.ttl / 1000); // W3C ttl is in milliseconds
  return out;
}

/** Verifies a stored list's signature with its issuer's key and decodes it (once per load). */
export function loadStatusList(entry: StatusListEntry, keys: readonly IssuerKey[]): CachedStatusList {
  try {
    const decoded = decodeCompact<Record<string, unknown>>(entry.jwt);
    const key = keyForKid(keys, decoded.header.kid, entry.issuer);
    if (!key) throw new TrustBundleError(`${entry.uri}: signed with kid ${String(decoded.header.kid)}, not a key of ${entry.issuer}`);
    if (entry.kind === 'token') {
      verifyDecoded(decoded, key.key, { typ: STATUS_LIST_JWT_TYP });
      const c = decodeStatusListToken(entry.jwt);
      if (c.sub !== entry.uri) throw new TrustBundleError(`${entry.uri}: token sub is ${c.sub}`);
      if (c.iss !== undefined && c.iss !== entry.issuer) throw new TrustBundleError(`${entry.uri}: token iss is ${c.iss}`);
      const out: CachedStatusList = { kind: 'token', uri: entry.uri, issuer: entry.issuer, fetchedAt: seconds(entry.fetchedAt), iat: c.iat, list: c.list };
      if (c.exp !== undefined) out.exp = c.exp;
      if (c.ttl !== undefined) out.ttl = c.ttl;
      return out;
    }
    verifyDecoded(decoded, key.key);
    return bitstringFromPayload(entry, decoded.payload);
  } catch (cause) {
    if (cause instanceof TrustBundleError) throw cause;
    throw new TrustBundleError(`status list ${entry.uri}: ${(cause as Error).message}`, cause);
  }
}
