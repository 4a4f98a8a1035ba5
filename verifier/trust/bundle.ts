import { parseTypeProfiles, type TypeProfiles } from '../../core/dcql/type-profiles.js';
import type { DIDDocument } from '../../core/did/document.js';
import { NetcredError } from '../../core/errors.js';
import type { PublicJwk } from '../../core/jose/jwk.js';

/**
 * The trust bundle: everything a verifier needs to decide offline. A plain JSON file,
 * versioned, written by `netcred verifier trust add` / `netcred verifier sync`.
 */
export const TRUST_BUNDLE_FORMAT = 'netcred-trust-bundle';
/** The trust bundle format version this verifier reads and writes. */
export const TRUST_BUNDLE_VERSION = 1;

/** A trusted issuer: its identifier, the vct it may issue, and its keys (DID document, JWKS or metadata). */
export type TrustedIssuer = {
  /** `iss` of the credentials: a DID (did:key, did:jwk, did:web) or an HTTPS issuer identifier. */
  id: string;
  /** Credential types accepted from this issuer (`vct`, or a W3C `type`). */
  vct: string[];
  /** did:web: the pinned DID document (never fetched at verification time). */
  didDocument?: DIDDocument;
  /** HTTPS issuer: its keys, as JWT VC Issuer Metadata `jwks` gives them. */
  jwks?: { keys: PublicJwk[] };
  /**
   * HTTPS issuer synced from its JWT VC Issuer Metadata: where it was fetched and the `issuer` it
   * named (which must be identical to `id`, or the keys are not used: ISSUER_METADATA_INVALID).
   */
  jwtVcIssuer?: { uri: string; issuer: string; fetchedAt: string };
  /** The issuer base URL it was synced from (for refresh). */
  source?: string;
  statusAggregationUri?: string;
  /**
   * Profiles (named DCQL queries) of the issuer's registered types, by vct then name, as its
   * discovery served them at sync: `verify --profile NAME` finds one by the credential's issuer and vct.
   */
  profiles?: Record<string, TypeProfiles>;
  addedAt: string;
  updatedAt?: string;
};

/** SD-JWT VC type metadata for a vct, with its JSON Schema, as fetched at sync. */
export type TypeMetadataEntry = {
  vct: string;
  /** SD-JWT VC type metadata (name, display, claims[] with path/mandatory/sd). */
  metadata: Record<string, unknown>;
  /** JSON Schema of the claims (validated against the disclosed claims only). */
  schema?: Record<string, unknown>;
  uri?: string;
  fetchedAt?: string;
};

/** A status list as fetched at sync: its URI, kind (token or bitstring), issuer, the signed JWT and when. */
export type StatusListEntry = {
  /** The URI credentials reference (`status.status_list.uri` or `statusListCredential`). */
  uri: string;
  /** `token`: IETF status list token (statuslist+jwt); `bitstring`: W3C list credential as a compact JWS. */
  kind: 'token' | 'bitstring';
  /** The issuer whose key signs the list. */
  issuer: string;
  jwt: string;
  /** When the verifier fetched it (ISO 8601): the list's age is measured from here. */
  fetchedAt: string;
};

/**
 * A trusted X.509 root (`netcred verifier trust add-cert`): an `x5c` chain that ends at it
 * vouches for the issuer its leaf names (`iss` as DNS or URI subjectAltName), for these types.
 */
export type X509RootEntry = {
  /** The root certificate, PEM. */
  pem: string;
  /** Credential types accepted from issuers certified under it (an issuer synced into the bundle keeps its own list). */
  vct: string[];
  /** Subject DN and SHA-256 fingerprint, for people reading the bundle (checked against `pem` at load). */
  subject: string;
  sha256: string;
  addedAt: string;
};

/** What an offline verifier trusts (a JSON file): issuers and their keys, type metadata, status lists, X.509 roots. */
export type TrustBundle = {
  format: typeof TRUST_BUNDLE_FORMAT;
  version: typeof TRUST_BUNDLE_VERSION;
  updatedAt: string;
  issuers: TrustedIssuer[];
  typeMetadata: TypeMetadataEntry[];
  statusLists: StatusListEntry[];
  /** Absent in bundles that trust no X.509 root. */
  x509Roots?: X509RootEntry[];
};

/** A trust bundle that is not valid (`TRUST_BUNDLE_INVALID`). */
export class TrustBundleError extends NetcredError {
  constructor(message: string, cause?: unknown) {
    super('TRUST_BUNDLE_INVALID', message, { cause });
  }
}

/** A trust bundle that trusts nothing yet, dated `now`. */
export function emptyTrustBundle(now = new Date()): TrustBundle {
  return { format: TRUST_BUNDLE_FORMAT, version: TRUST_BUNDLE_VERSION, updatedAt: now.toISOString(), issuers: [], typeMetadata: [], statusLists: [] };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isDate = (v: unknown): v is string => typeof v === 'string' && Number.isFinite(Date.parse(v));

/** An issuer's profiles, by vct (one it is trusted for), each checked as sync checked it. */
function checkProfiles(profiles: unknown, vct: string[], at: string): void {
  if (!isObject(profiles)) throw new TrustBundleError(`${at}.profiles must be an object (vct to {name: DCQL query})`);
  for (const [type, named] of Object.entries(profiles)) {
    if (!vct.includes(type)) throw new TrustBundleError(`${at}.profiles: ${type} is not a vct of this issuer`);
    try {
      parseTypeProfiles(named, type, `${at}.profiles of ${type}`);
    } catch (cause) {
      throw new TrustBundleError((cause as Error).message, cause);
    }
  }
}

/** Structural check of a parsed bundle (keys and signatures are checked when the store is built). */
export function parseTrustBundle(value: unknown): TrustBundle {
  if (!isObject(value)) throw new TrustBundleError('trust bundle must be a JSON object');
  if (value.format !== TRUST_BUNDLE_FORMAT) throw new TrustBundleError(`trust bundle format must be "${TRUST_BUNDLE_FORMAT}"`);
  if (value.version !== TRUST_BUNDLE_VERSION)
    throw new TrustBundleError(`trust bundle version ${String(value.version)} is not supported (expected ${TRUST_BUNDLE_VERSION})`);
  if (!isDate(value.updatedAt)) throw new TrustBundleError('updatedAt must be an ISO 8601 date');
  const { issuers, typeMetadata, statusLists } = value;
  if (!Array.isArray(issuers) || !Array.isArray(typeMetadata) || !Array.isArray(statusLists)) {
    throw new TrustBundleError('issuers, typeMetadata and statusLists must be arrays');
  }
  const ids = new Set<string>();
  issuers.forEach((i, n) => {
    const at = `issuers[${n}]`;
    if (!isObject(i) || !isString(i.id)) throw new TrustBundleError(`${at}.id must be a string`);
    if (ids.has(i.id)) throw new TrustBundleError(`${at}: issuer ${i.id} is listed twice`);
    ids.add(i.id);
    if (!Array.isArray(i.vct) || i.vct.length === 0 || !i.vct.every(isString)) throw new TrustBundleError(`${at}.vct must be a non-empty array of strings`);
    if (!isDate(i.addedAt)) throw new TrustBundleError(`${at}.addedAt must be an ISO 8601 date`);
    if (i.didDocument !== undefined && !isObject(i.didDocument)) throw new TrustBundleError(`${at}.didDocument must be an object`);
    if (i.jwks !== undefined && (!isObject(i.jwks) || !Array.isArray(i.jwks.keys))) throw new TrustBundleError(`${at}.jwks must be {keys: [...]}`);
    const m = i.jwtVcIssuer;
    if (m !== undefined && (!isObject(m) || !isString(m.uri) || typeof m.issuer !== 'string' || !isDate(m.fetchedAt)))
      throw new TrustBundleError(`${at}.jwtVcIssuer must be {uri, issuer, fetchedAt}`);
    if (i.profiles !== undefined) checkProfiles(i.profiles, i.vct as string[], at);
  });
  if (value.x509Roots !== undefined) {
    if (!Array.isArray(value.x509Roots)) throw new TrustBundleError('x509Roots must be an array');
    value.x509Roots.forEach((r, n) => {
      const at = `x509Roots[${n}]`;
      if (!isObject(r) || !isString(r.pem) || !isString(r.subject) || !isString(r.sha256))
        throw new TrustBundleError(`${at} must have pem, subject and sha256`);
      if (!Array.isArray(r.vct) || r.vct.length === 0 || !r.vct.every(isString)) throw new TrustBundleError(`${at}.vct must be a non-empty array of strings`);
      if (!isDate(r.addedAt)) throw new TrustBundleError(`${at}.addedAt must be an ISO 8601 date`);
    });
  }
  typeMetadata.forEach((t, n) => {
    const at = `typeMetadata[${n}]`;
    if (!isObject(t) || !isString(t.vct) || !isObject(t.metadata)) throw new TrustBundleError(`${at} must have vct and metadata`);
    if (t.schema !== undefined && !isObject(t.schema)) throw new TrustBundleError(`${at}.schema must be an object`);
  });
  statusLists.forEach((s, n) => {
    const at = `statusLists[${n}]`;
    if (!isObject(s) || !isString(s.uri) || !isString(s.issuer) || !isString(s.jwt)) throw new TrustBundleError(`${at} must have uri, issuer and jwt`);
    if (s.kind !== 'token' && s.kind !== 'bitstring') throw new TrustBundleError(`${at}.kind must be "token" or "bitstring"`);
    if (!isDate(s.fetchedAt)) throw new TrustBundleError(`${at}.fetchedAt must be an ISO 8601 date`);
  });
  return value as unknown as TrustBundle;
}
