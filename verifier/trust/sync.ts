import { parseTypeProfiles, type TypeProfiles } from '../../core/dcql/type-profiles.js';
import { didWebToUrl } from '../../core/did/did-web.js';
import type { DIDDocument } from '../../core/did/document.js';
import { NetcredError } from '../../core/errors.js';
import { isUrlIssuer, jwtVcIssuerMetadataUrl, parseJwkSet, parseJwtVcIssuerMetadata, type JwkSet } from '../../core/vc/jwt-vc-issuer.js';
import { builtInTypeMetadata } from './add.js';
import type { StatusListEntry, TrustBundle, TrustedIssuer, TypeMetadataEntry } from './bundle.js';
import { checkFetchUrl, fetchBounded, fetchJson, type FetchLimits } from './fetch-bounded.js';
import { listBindingError } from '../status/list-binding.js';
import { importIssuerKeys, type IssuerKey } from './issuer-keys.js';
import { loadStatusList, readStatusListSelf } from './status-lists.js';

/** How syncIssuer fetches an issuer's trust material: the vct, the time, size bounds and timeout. */
export type SyncOptions = {
  /** Accept only these types (default: every type the issuer advertises). */
  vct?: string[];
  now?: Date;
  /** Per-request limits (defaults: 256 KiB of JSON, 8 MiB per list, 10 s). */
  maxJsonBytes?: number;
  maxListBytes?: number;
  timeoutMs?: number;
};

/** What syncIssuer added: the issuer, its vct, and how many token and bitstring status lists. */
export type SyncReport = {
  issuer: string;
  vct: string[];
  statusLists: number;
  bitstringLists: number;
  /** Names of the profiles of each registered type that has some (`verify --profile NAME`). */
  profiles?: Record<string, string[]>;
};

type Discovery = {
  issuer: string;
  did_document?: DIDDocument;
  credential_types: { vct: string; type_metadata_uri?: string; profiles?: unknown }[];
  status_aggregation_uri?: string;
};

function fail(message: string): never {
  throw new NetcredError('SYNC_FAILED', message);
}

function parseDiscovery(value: unknown): Discovery {
  const d = value as Record<string, unknown> | null;
  if (!d || typeof d !== 'object') fail('issuer discovery is not a JSON object');
  if (typeof d.issuer !== 'string' || !(d.issuer.startsWith('did:') || isUrlIssuer(d.issuer)))
    fail('issuer discovery has no issuer DID or https issuer identifier');
  if (!Array.isArray(d.credential_types) || !d.credential_types.every((t) => t && typeof t.vct === 'string'))
    fail('issuer discovery credential_types is invalid');
  if (d.status_aggregation_uri !== undefined && typeof d.status_aggregation_uri !== 'string') fail('status_aggregation_uri must be a string');
  return d as unknown as Discovery;
}

/** did:web documents are resolved the did:web way (their own URL), not taken from the discovery answer. */
async function didWebDocument(did: string, limits: FetchLimits): Promise<DIDDocument> {
  let url = didWebToUrl(did);
  const host = new URL(url).hostname;
  if (host === '127.0.0.1' || host === 'localhost') url = didWebToUrl(did, { insecure: true });
  const doc = (await fetchJson(url, limits)) as DIDDocument;
  if (!doc || doc.id !== did) fail(`DID document at ${url} is not the document of ${did}`);
  return doc;
}

/**
 * The keys of an issuer identified by its URL, from its JWT VC Issuer Metadata at the well-known
 * location (never from the discovery answer): `issuer` must be identical to the identifier
 * (ISSUER_METADATA_INVALID otherwise, nothing stored), `jwks` by value or fetched from `jwks_uri`.
 */
async function jwtVcIssuerKeys(iss: string, limits: FetchLimits, fetchedAt: string): Promise<Pick<TrustedIssuer, 'jwks' | 'jwtVcIssuer'>> {
  const uri = jwtVcIssuerMetadataUrl(iss);
  const metadata = parseJwtVcIssuerMetadata(await fetchJson(uri, limits), iss);
  const jwks: JwkSet = 'jwks' in metadata ? metadata.jwks : parseJwkSet(await fetchJson(metadata.jwks_uri, limits), `the JWK Set at ${metadata.jwks_uri}`);
  return { jwks, jwtVcIssuer: { uri, issuer: metadata.issuer, fetchedAt } };
}

/**
 * A fetched list goes into the bundle only if it is bound to the URL it was fetched from and to
 * the issuer being synced, and not expired (STATUS_LIST_MISMATCH / STATUS_LIST_STALE, checked on
 * its claims before its signature, so a list of another issuer is named as such), then only if
 * that issuer's key verifies it (TRUST_BUNDLE_INVALID).
 */
function admit(entry: StatusListEntry, keys: IssuerKey[], nowSec: number): void {
  const refused = listBindingError(readStatusListSelf(entry), { uri: entry.uri, issuer: entry.issuer }, nowSec);
  if (refused) throw refused;
  loadStatusList(entry, keys);
}

/**
 * Online refresh of one issuer (the only network code of the verifier): discovery, DID document
 * (did:web) or JWT VC Issuer Metadata (an https issuer identifier), type metadata, status list aggregation and every list. Each list's binding and
 * signature are checked before it is stored (admit); the whole bundle is validated before the caller writes it.
 */
export async function syncIssuer(bundle: TrustBundle, issuerUrl: string, options: SyncOptions = {}): Promise<{ bundle: TrustBundle; report: SyncReport }> {
  const base = checkFetchUrl(issuerUrl).href.replace(/\/+$/, '');
  const json: FetchLimits = { maxBytes: options.maxJsonBytes ?? 256 * 1024, timeoutMs: options.timeoutMs ?? 10_000 };
  const lists: FetchLimits = { maxBytes: options.maxListBytes ?? 8 * 1024 * 1024, timeoutMs: options.timeoutMs ?? 10_000 };
  const now = options.now ?? new Date();
  const stamp = now.toISOString();
  const nowSec = Math.floor(now.getTime() / 1000);

  const discovery = parseDiscovery(await fetchJson(`${base}/.well-known/netcred-issuer`, json));
  const did = discovery.issuer;
  // A URL issuer is the site being synced: an answer cannot hand its types and lists to another origin.
  if (!did.startsWith('did:') && new URL(did).origin !== new URL(base).origin) fail(`${base} names the issuer ${did}, of another origin`);
  const advertised = discovery.credential_types.map((t) => t.vct);
  const vct = options.vct?.length ? options.vct : advertised;
  if (vct.length === 0) fail(`${did} advertises no credential types`);

  const existing = bundle.issuers.find((i) => i.id === did);
  const entry: TrustedIssuer = { id: did, vct, source: base, addedAt: existing?.addedAt ?? stamp, updatedAt: stamp };
  if (did.startsWith('did:web:')) entry.didDocument = await didWebDocument(did, json);
  if (!did.startsWith('did:')) Object.assign(entry, await jwtVcIssuerKeys(did, json, stamp));
  if (discovery.status_aggregation_uri) entry.statusAggregationUri = discovery.status_aggregation_uri;
  const keys = importIssuerKeys(entry);

  const typeMetadata: TypeMetadataEntry[] = [];
  const profiles: Record<string, TypeProfiles> = {};
  for (const t of discovery.credential_types.filter((c) => vct.includes(c.vct))) {
    // A registered type's profiles (netcred's extension of the discovery): one bad profile
    // refuses the sync (PROFILE_INVALID naming it), as a list that does not verify does.
    if (t.profiles !== undefined) {
      const named = parseTypeProfiles(t.profiles, t.vct, `issuer ${did}, type ${t.vct}`);
      if (Object.keys(named).length) profiles[t.vct] = named;
    }
    const builtIn = builtInTypeMetadata(t.vct);
    if (!t.type_metadata_uri) {
      if (builtIn) typeMetadata.push(builtIn);
      continue;
    }
    const metadata = (await fetchJson(t.type_metadata_uri, json)) as Record<string, unknown>;
    if (!metadata || typeof metadata !== 'object' || metadata.vct !== t.vct) fail(`type metadata at ${t.type_metadata_uri} is not for ${t.vct}`);
    const tm: TypeMetadataEntry = { vct: t.vct, metadata, uri: t.type_metadata_uri, fetchedAt: stamp };
    // The JSON Schema: embedded in the metadata, else the one netcred ships for its own types.
    const schema = (metadata.schema as Record<string, unknown> | undefined) ?? builtIn?.schema;
    if (schema) tm.schema = schema;
    typeMetadata.push(tm);
  }

  if (Object.keys(profiles).length) entry.profiles = profiles;

  const statusLists: StatusListEntry[] = [];
  let bitstrings = 0;
  if (discovery.status_aggregation_uri) {
    const agg = (await fetchJson(discovery.status_aggregation_uri, json)) as { status_lists?: unknown };
    if (!Array.isArray(agg?.status_lists) || !agg.status_lists.every((u) => typeof u === 'string')) fail('status aggregation has no status_lists array');
    for (const uri of agg.status_lists as string[]) {
      const jwt = (await fetchBounded(uri, 'application/statuslist+jwt', lists)).trim();
      const item: StatusListEntry = { uri, kind: 'token', issuer: did, jwt, fetchedAt: stamp };
      admit(item, keys, nowSec);
      statusLists.push(item);
      // netcred issuers also publish each list as W3C Bitstring Status List credentials.
      for (const purpose of ['revocation', 'suspension']) {
        const bUri = `${uri}/bitstring/${purpose}`;
        let body: string;
        try {
          body = (await fetchBounded(bUri, 'application/vc+jwt', lists)).trim();
        } catch {
          continue; // not published by this issuer: W3C credentials of it cannot be status-checked
        }
        const b: StatusListEntry = { uri: bUri, kind: 'bitstring', issuer: did, jwt: body, fetchedAt: stamp };
        admit(b, keys, nowSec);
        statusLists.push(b);
        bitstrings++;
      }
    }
  }

  const next: TrustBundle = {
    ...bundle,
    updatedAt: stamp,
    issuers: [...bundle.issuers.filter((i) => i.id !== did), entry],
    typeMetadata: [...bundle.typeMetadata.filter((t) => !typeMetadata.some((n) => n.vct === t.vct)), ...typeMetadata],
    statusLists: [...bundle.statusLists.filter((s) => s.issuer !== did), ...statusLists],
  };
  const report: SyncReport = { issuer: did, vct, statusLists: statusLists.length - bitstrings, bitstringLists: bitstrings };
  if (entry.profiles) report.profiles = Object.fromEntries(Object.entries(entry.profiles).map(([t, named]) => [t, Object.keys(named)]));
  return { bundle: next, report };
}
