import { parseTypeProfiles, type TypeProfiles } from '../../core/dcql/type-profiles.js';
import { fetchBounded, type FetchLike } from '../../core/http/fetch-bounded.js';
import { isUrlIssuer } from '../../core/vc/jwt-vc-issuer.js';
import { RESIDENT_IDENTITY_LITE_VCT, RESIDENT_IDENTITY_VCT } from '../../schemas/profiles/index.js';
import { WalletError } from '../errors.js';
import type { Wallet } from '../wallet.js';
import { saveTypeProfiles } from './store.js';

/** The profile names the wallet learned for one type of one issuer. */
export type LearnedProfiles = { iss: string; vct: string; names: string[] };

/** How learnTypeProfiles fetches (a test's fetch, bounds). */
export type LearnOptions = { fetch?: FetchLike; timeoutMs?: number };

const LIMITS = { maxBytes: 256 * 1024, timeoutMs: 10_000 };

/** The resident identity's profiles (lite, upgraded) are built in: nothing to learn for it. */
export const isBuiltInVct = (vct: string | undefined) => vct === RESIDENT_IDENTITY_VCT || vct === RESIDENT_IDENTITY_LITE_VCT;

/**
 * Where a netcred issuer's discovery is, for a credential of `iss`: an https issuer is its own
 * base URL; else the base URL its status lists are served under (`<base>/status/lists/<id>`).
 * Undefined when neither tells (a credential without status, or lists published elsewhere).
 */
export function discoveryBaseOf(iss: string, statusUri?: string): string | undefined {
  if (isUrlIssuer(iss)) return iss;
  const at = statusUri?.lastIndexOf('/status/lists/') ?? -1;
  return at > 0 ? statusUri!.slice(0, at) : undefined;
}

const invalid = (message: string, cause?: unknown) => new WalletError('ISSUER_METADATA_INVALID', message, cause === undefined ? undefined : { cause });

/**
 * Learns the profiles (named DCQL queries) of the types `vcts` of issuer `iss` from its discovery
 * (`<base>/.well-known/netcred-issuer`, netcred's, whose `issuer` must be `iss`), and stores them
 * sealed in the wallet, replacing what it knew of those types. Every profile is checked
 * (core/dcql); one bad one (PROFILE_INVALID, naming it) and nothing of this issuer is stored.
 */
export async function learnTypeProfiles(wallet: Wallet, base: string, iss: string, vcts: string[], options: LearnOptions = {}): Promise<LearnedProfiles[]> {
  const uri = `${base.replace(/\/+$/, '')}/.well-known/netcred-issuer`;
  const res = await fetchBounded(uri, { headers: { accept: 'application/json' } }, { ...LIMITS, ...options });
  if (!res.ok) throw invalid(`GET ${uri} answered ${res.status}`);
  let discovery: { issuer?: unknown; credential_types?: unknown };
  try {
    discovery = JSON.parse(res.text) as typeof discovery;
  } catch (cause) {
    throw invalid(`GET ${uri} did not answer JSON`, cause);
  }
  if (discovery?.issuer !== iss) throw invalid(`${uri} names the issuer ${String(discovery?.issuer)}, not ${iss}`);
  if (!Array.isArray(discovery.credential_types)) throw invalid(`${uri} has no credential_types array`);
  const found = new Map<string, TypeProfiles>();
  for (const t of discovery.credential_types as { vct?: unknown; profiles?: unknown }[]) {
    if (typeof t?.vct !== 'string' || !vcts.includes(t.vct) || found.has(t.vct)) continue;
    found.set(t.vct, t.profiles === undefined ? {} : parseTypeProfiles(t.profiles, t.vct, `issuer ${iss}, type ${t.vct}`));
  }
  const learned: LearnedProfiles[] = [];
  for (const [vct, profiles] of found) {
    await saveTypeProfiles(wallet, iss, vct, profiles);
    learned.push({ iss, vct, names: Object.keys(profiles) });
  }
  return learned;
}
