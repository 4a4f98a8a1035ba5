import { decodeCompact } from '../../core/jose/decode.js';
import { verifyDecoded } from '../../core/jose/verify.js';
import { Bitstring } from '../../core/status/bitstring.js';
import type { StatusListSelf } from '../../core/status/binding.js';
import { readBitstringListCredential } from '../../core/status/list-credential.js';
import { decodeStatusListToken, STATUS_LIST_JWT_TYP, type StatusListTokenContents } from '../../core/status/status-list-token.js';
import type { StatusList } from '../../core/status/status-list.js';
import { TrustBundleError, type StatusListEntry } from './bundle.js';
import type { IssuerKey } from './issuer-keys.js';

/**
 * A status list decoded once at bundle load: lookups are a byte read. `self` is what the list
 * says about itself (its own URL, issuer, expiry; `signer` the issuer whose key verified it):
 * every use checks it against the credential (core/status/binding.ts).
 */
export type CachedStatusList =
  | { kind: 'token'; uri: string; issuer: string; fetchedAt: number; iat: number; exp?: number; ttl?: number; self: StatusListSelf; list: StatusList }
  | {
      kind: 'bitstring';
      uri: string;
      issuer: string;
      fetchedAt: number;
      iat?: number;
      exp?: number;
      ttl?: number;
      purposes: string[];
      self: StatusListSelf;
      list: Bitstring;
    };

/** Picks the signing key of a list by its header kid (or the issuer's only key). */
export function keyForKid(keys: readonly IssuerKey[], kid: unknown, issuer: string): IssuerKey | undefined {
  if (kid === undefined) return keys.length === 1 ? keys[0] : undefined;
  if (typeof kid !== 'string') return undefined;
  const abs = kid.startsWith('#') ? `${issuer}${kid}` : kid;
  return keys.find((k) => k.kid === abs || k.kid === kid);
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

function tokenSelf(c: StatusListTokenContents): StatusListSelf {
  const self: StatusListSelf = { kind: 'token', id: c.sub, iss: c.iss };
  if (c.exp !== undefined) self.exp = c.exp;
  return self;
}

function bitstringFromPayload(entry: StatusListEntry, payload: Record<string, unknown>): CachedStatusList {
  const c = readBitstringListCredential(payload, entry.uri);
  const out: CachedStatusList = {
    kind: 'bitstring',
    uri: entry.uri,
    issuer: entry.issuer,
    fetchedAt: seconds(entry.fetchedAt),
    purposes: c.purposes,
    self: { ...c.self, signer: entry.issuer },
    list: Bitstring.decode(c.encodedList),
  };
  if (c.iat !== undefined) out.iat = c.iat;
  if (c.self.exp !== undefined) out.exp = c.self.exp;
  if (c.ttlMs !== undefined) out.ttl = Math.floor(c.ttlMs / 1000); // W3C ttl is in milliseconds
  return out;
}

function asBundleError(entry: StatusListEntry, cause: unknown): TrustBundleError {
  if (cause instanceof TrustBundleError) return cause;
  return new TrustBundleError(`status list ${entry.uri}: ${(cause as Error).message}`, cause);
}

/**
 * What a stored list says about itself, read WITHOUT checking its signature: `verifier sync`
 * refuses a list bound to another URL or issuer, or expired, before anything else.
 */
export function readStatusListSelf(entry: StatusListEntry): StatusListSelf {
  try {
    if (entry.kind === 'token') return tokenSelf(decodeStatusListToken(entry.jwt));
    return readBitstringListCredential(decodeCompact<Record<string, unknown>>(entry.jwt).payload, entry.uri).self;
  } catch (cause) {
    throw asBundleError(entry, cause);
  }
}

/**
 * Verifies a stored list's signature with its issuer's key and decodes it (once per load). A
 * list that is not signed by `entry.issuer`, or cannot be read, is TRUST_BUNDLE_INVALID; its
 * binding to `entry.uri` is for the caller to check (`self`).
 */
export function loadStatusList(entry: StatusListEntry, keys: readonly IssuerKey[]): CachedStatusList {
  try {
    const decoded = decodeCompact<Record<string, unknown>>(entry.jwt);
    const key = keyForKid(keys, decoded.header.kid, entry.issuer);
    if (!key) throw new TrustBundleError(`${entry.uri}: signed with kid ${String(decoded.header.kid)}, not a key of ${entry.issuer}`);
    if (entry.kind === 'token') {
      verifyDecoded(decoded, key.key, { typ: STATUS_LIST_JWT_TYP });
      const c = decodeStatusListToken(entry.jwt);
      const out: CachedStatusList = {
        kind: 'token',
        uri: entry.uri,
        issuer: entry.issuer,
        fetchedAt: seconds(entry.fetchedAt),
        iat: c.iat,
        self: { ...tokenSelf(c), signer: entry.issuer },
        list: c.list,
      };
      if (c.exp !== undefined) out.exp = c.exp;
      if (c.ttl !== undefined) out.ttl = c.ttl;
      return out;
    }
    verifyDecoded(decoded, key.key);
    return bitstringFromPayload(entry, decoded.payload);
  } catch (cause) {
    throw asBundleError(entry, cause);
  }
}
