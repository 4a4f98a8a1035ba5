import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError, NetcredError } from '../core/errors.js';
import { isSupportedAlg, type JwsAlg } from '../core/jose/alg.js';
import { isIssuerIdKind, issuerIdProblem, type IssuerIdKind } from './issuer-id.js';
import { oauthPolicyOf, oauthPolicyProblem, type OAuthPolicy } from './oauth-policy.js';

/** An issuer's DID method: did:key or did:web. */
export type DidMethod = 'key' | 'web';
/** The DID methods an issuer can have: `key` and `web`. */
export const DID_METHODS: readonly DidMethod[] = ['key', 'web'];

/** The public URL an issuer has unless configured otherwise (its own listener on 127.0.0.1:8080). */
export const DEFAULT_PUBLIC_URL = 'http://127.0.0.1:8080';
/** Entries of a new status list unless configured otherwise (131,072). */
export const DEFAULT_STATUS_LIST_SIZE = 131072;
/** The smallest status list size accepted (16,384 entries). */
export const MIN_STATUS_LIST_SIZE = 16384;
/** How long a credential is valid unless configured otherwise: one year, in seconds. */
export const DEFAULT_CREDENTIAL_TTL_SECONDS = 365 * 24 * 3600;
/** `ttl` of a published status list: how long a verifier may reuse a fetched list before asking again. */
export const DEFAULT_STATUS_TTL_SECONDS = 300;
/** exp - iat of a published status list: how long a kiosk can stay offline after its last sync is at least half of it. */
export const DEFAULT_STATUS_VALIDITY_SECONDS = 24 * 3600;

/** Bounds of the issuer's timing settings, in seconds. */
export const TIMING_LIMITS = {
  credentialTtlSeconds: { min: 3600, max: 20 * 365 * 24 * 3600 },
  statusTtlSeconds: { min: 30, max: 24 * 3600 },
  statusValiditySeconds: { min: 3600, max: 31 * 24 * 3600 },
} as const;

/** An issuer's lifetimes in seconds: credentials, the status list `ttl`, and a status list token's validity. */
export type IssuerTiming = { credentialTtlSeconds: number; statusTtlSeconds: number; statusValiditySeconds: number };

/**
 * Why a timing setting is refused, or undefined. A list is re-signed when half its validity is
 * left, so its `ttl` must fit in that half: a verifier that re-fetches after `ttl` then always
 * gets a list that is still valid.
 */
export function timingProblem(t: Partial<IssuerTiming>): { path: keyof IssuerTiming; message: string } | undefined {
  for (const key of Object.keys(TIMING_LIMITS) as (keyof IssuerTiming)[]) {
    const v = t[key];
    const { min, max } = TIMING_LIMITS[key];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < min || v > max))
      return { path: key, message: `must be a whole number of seconds from ${min} to ${max}` };
  }
  const ttl = t.statusTtlSeconds ?? DEFAULT_STATUS_TTL_SECONDS;
  const validity = t.statusValiditySeconds ?? DEFAULT_STATUS_VALIDITY_SECONDS;
  if (ttl > validity / 2) return { path: 'statusTtlSeconds', message: `must be at most half of statusValiditySeconds (${validity})` };
  return undefined;
}
const MIN_ADMIN_TOKEN_LENGTH = 16;

/** What `<dataDir>/issuer/config.json` holds (mode 0600: it contains the admin token). */
export type StoredIssuerConfig = {
  version: 1;
  did: string;
  didMethod: DidMethod;
  alg: JwsAlg;
  publicUrl: string;
  adminToken: string;
  statusListSize: number;
  credentialTtlSeconds: number;
  /** Absent in configs written before they were settable: the defaults apply. */
  statusTtlSeconds?: number;
  statusValiditySeconds?: number;
  /** HAIP and wallet attestation (issuer/oauth-policy.ts); absent: the defaults (no HAIP, attestation off). */
  oauth?: OAuthPolicy;
  /** What `iss` is (issuer/issuer-id.ts); absent: `did`. */
  issuerId?: IssuerIdKind;
  /**
   * Set by `netcred start` when it made the public URL from its own loopback address: a later
   * start on another port moves the URL along while no status list names it (issuer/public-url.ts).
   */
  publicUrlFollowsPort?: boolean;
  /**
   * Where the issuer's state lives when it is not the SQLite file of the data dir: a PostgreSQL
   * URL (`postgres://user@host:5432/db`), given to `issuer init --store` or NETCRED_STORE_URL.
   */
  store?: string;
  /** HMAC check value of the secret (issuer/secrets/check.ts). */
  secretCheck: string;
  /** 'file': <issuer>/secret.key; 'external': NETCRED_SECRET (no key file). */
  secretSource: 'file' | 'external';
  createdAt: string;
};

/** The files of an issuer's data directory (issuerPaths). */
export type IssuerPaths = { dir: string; database: string; config: string; keyFile: string };

/** Where an issuer keeps its files under `dataDir`: the folder, the SQLite database, config.json and the key file. */
export function issuerPaths(dataDir: string): IssuerPaths {
  const dir = path.join(path.resolve(dataDir), 'issuer');
  return { dir, database: path.join(dir, 'issuer.sqlite'), config: path.join(dir, 'config.json'), keyFile: path.join(dir, 'secret.key') };
}

/**
 * The issuer DID method `value` names.
 *
 * @throws InvalidInputError `INVALID_INPUT` unless it is `key` or `web`.
 */
export function parseDidMethod(value: unknown): DidMethod {
  if (value === 'key' || value === 'web') return value;
  throw new InvalidInputError(`unknown DID method ${JSON.stringify(value)} (expected: ${DID_METHODS.join(', ')})`, [
    { path: 'didMethod', message: 'must be key or web' },
  ]);
}

/**
 * The JWS algorithm `value` names.
 *
 * @throws InvalidInputError `INVALID_INPUT` unless it is EdDSA or ES256.
 */
export function parseAlg(value: unknown): JwsAlg {
  if (isSupportedAlg(value)) return value;
  throw new InvalidInputError(`unknown algorithm ${JSON.stringify(value)} (expected: EdDSA, ES256)`, [{ path: 'alg', message: 'must be EdDSA or ES256' }]);
}

/** An http(s) base URL without query, fragment or trailing slash. */
export function normalizePublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidInputError(`public URL ${JSON.stringify(value)} is not a URL`, [{ path: 'publicUrl', message: 'not a URL' }]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InvalidInputError(`public URL must be http(s): ${value}`, [{ path: 'publicUrl', message: 'must be http or https' }]);
  if (url.search || url.hash || url.username || url.password) {
    throw new InvalidInputError(`public URL must not carry a query, fragment or credentials: ${value}`, [
      { path: 'publicUrl', message: 'query, fragment or credentials' },
    ]);
  }
  return url.href.replace(/\/+$/, '');
}

/** Why a store URL is refused (it must be a postgres:// or postgresql:// URL naming a database), or undefined. */
export function storeUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return 'must be a postgres:// URL';
  if (!url.hostname) return 'must name a host';
  if (url.pathname.replace(/^\//, '') === '') return 'must name a database (postgres://host:5432/DB)';
  return undefined;
}

/** A store URL checked (INVALID_INPUT naming the option or variable it came from). */
export function parseStoreUrl(value: string, from: string): string {
  const problem = storeUrlProblem(value);
  if (problem) throw new InvalidInputError(`${from} ${problem}`, [{ path: from, message: problem }]);
  return value;
}

/** $NETCRED_STORE_URL, checked, when set. */
export function storeUrlFromEnv(): string | undefined {
  const value = process.env.NETCRED_STORE_URL;
  return value === undefined || value === '' ? undefined : parseStoreUrl(value, 'NETCRED_STORE_URL');
}

/** The admin token: $NETCRED_ADMIN_TOKEN if set, else 32 random bytes. */
export function adminTokenFromEnv(): string | undefined {
  const token = process.env.NETCRED_ADMIN_TOKEN;
  if (token === undefined || token === '') return undefined;
  if (token.length < MIN_ADMIN_TOKEN_LENGTH) throw new InvalidInputError(`NETCRED_ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  return token;
}

export function newAdminToken(): string {
  return randomBytes(32).toString('base64url');
}

function fail(file: string, why: string): never {
  throw new NetcredError('ISSUER_CONFIG_INVALID', `issuer config ${file} is invalid: ${why}`);
}

export function readIssuerConfig(file: string): StoredIssuerConfig {
  if (!existsSync(file))
    throw new NetcredError('ISSUER_NOT_INITIALIZED', `no issuer in ${path.dirname(path.dirname(file))}: run \`netcred issuer init\` first`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    fail(file, `not JSON (${(cause as Error).message})`);
  }
  const c = raw as Partial<StoredIssuerConfig> | null;
  if (!c || typeof c !== 'object' || Array.isArray(c)) fail(file, 'not an object');
  if (c.version !== 1) fail(file, `unsupported version ${String(c.version)}`);
  if (typeof c.did !== 'string' || !c.did.startsWith('did:')) fail(file, 'did');
  if (c.didMethod !== 'key' && c.didMethod !== 'web') fail(file, 'didMethod');
  if (!isSupportedAlg(c.alg)) fail(file, 'alg');
  if (typeof c.publicUrl !== 'string') fail(file, 'publicUrl');
  try {
    if (normalizePublicUrl(c.publicUrl) !== c.publicUrl) fail(file, 'publicUrl is not normalized (no trailing slash)');
  } catch (cause) {
    if ((cause as { code?: string }).code === 'ISSUER_CONFIG_INVALID') throw cause;
    fail(file, `publicUrl: ${(cause as Error).message}`);
  }
  if (typeof c.adminToken !== 'string' || c.adminToken.length < MIN_ADMIN_TOKEN_LENGTH) fail(file, 'adminToken');
  if (!Number.isSafeInteger(c.statusListSize) || c.statusListSize! < MIN_STATUS_LIST_SIZE) fail(file, `statusListSize (at least ${MIN_STATUS_LIST_SIZE})`);
  if (c.credentialTtlSeconds === undefined) fail(file, 'credentialTtlSeconds');
  const timing = timingProblem({
    credentialTtlSeconds: c.credentialTtlSeconds,
    statusTtlSeconds: c.statusTtlSeconds,
    statusValiditySeconds: c.statusValiditySeconds,
  });
  if (timing) fail(file, `${timing.path} ${timing.message}`);
  if (c.oauth !== undefined) {
    if (!c.oauth || typeof c.oauth !== 'object' || Array.isArray(c.oauth)) fail(file, 'oauth');
    const oauth = oauthPolicyProblem(oauthPolicyOf(c));
    if (oauth) fail(file, `oauth.${oauth.path} ${oauth.message}`);
  }
  if (c.issuerId !== undefined) {
    if (!isIssuerIdKind(c.issuerId)) fail(file, 'issuerId (did or url)');
    const problem = issuerIdProblem(c.issuerId, c.publicUrl);
    if (problem) fail(file, `${problem.path}: ${problem.message}`);
  }
  if (c.publicUrlFollowsPort !== undefined && typeof c.publicUrlFollowsPort !== 'boolean') fail(file, 'publicUrlFollowsPort (true or false)');
  if (c.store !== undefined && (typeof c.store !== 'string' || storeUrlProblem(c.store)))
    fail(file, `store (${typeof c.store === 'string' ? storeUrlProblem(c.store) : 'a postgres:// URL'})`);
  if (typeof c.secretCheck !== 'string') fail(file, 'secretCheck');
  if (c.secretSource !== 'file' && c.secretSource !== 'external') fail(file, 'secretSource');
  return c as StoredIssuerConfig;
}

/** Writes config.json atomically (temp file + rename), mode 0600. */
export function writeIssuerConfig(file: string, config: StoredIssuerConfig): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
