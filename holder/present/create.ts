import { matchCredentialQuery, requiredCredentialQueries, type SelectedClaim } from '../../core/dcql/index.js';
import { disclosuresFor } from '../../core/sd-jwt/claim-tree.js';
import { isProfileName, PROFILES, type ProfileName } from '../../schemas/profiles/index.js';
import { decodeCredential, type DecodedCredential } from '../credential.js';
import { assertDcqlQuery, type DcqlQuery } from '../dcql/query.js';
import { WalletError } from '../errors.js';
import { findCredential, listCredentials, readCompanion, readCredential, type StoredCredentialInfo } from '../store/credentials.js';
import type { Wallet } from '../wallet.js';
import { appendKbJwt } from './kb-jwt.js';

/** What createPresentation answers: a profile or a DCQL query, the verifier's `aud` and `nonce`, and the confirmation. */
export type PresentationRequest = {
  profile?: ProfileName;
  dcql?: DcqlQuery;
  /** KB-JWT `aud`: the verifier's client_id, or the kiosk identifier for the one-way QR. */
  aud: string;
  nonce: string;
  /** KB-JWT `iat`, seconds since the epoch (default: now). */
  iat?: number;
  /**
   * Called with what would be disclosed, before anything is signed; resolve false to refuse
   * (CONFIRMATION_DECLINED, nothing is produced). Absent = the caller already confirmed.
   */
  confirm?: (plan: DisclosurePlan[]) => Promise<boolean> | boolean;
  /**
   * What the recipient accepts (OpenID4VP: client_metadata.vp_formats_supported): why it would
   * refuse a credential of this format signed with `alg`, its KB-JWT signed with `kbAlg`, or
   * undefined. A refused credential is never chosen; a query only refused ones could answer is
   * CREDENTIAL_ALG_UNSUPPORTED, with the reason.
   */
  accepts?: (credential: { format: string; alg: string; kbAlg: string }) => string | undefined;
  /**
   * Present this credential (its wallet id, as `listCredentials` / `netcred wallet list` give it)
   * instead of letting the wallet choose: CREDENTIAL_NOT_FOUND when the wallet has no such id,
   * CREDENTIAL_UNUSABLE when it is suspended or expired, CREDENTIAL_DOES_NOT_SATISFY (the
   * missing claims in `details`) when it does not answer the query.
   */
  credentialId?: string;
};

/** A claim to disclose: where it is in the credential (array indexes for nulls) and its value. */
export type DisclosedClaim = SelectedClaim;

/** What one credential of a presentation will disclose, and to which query it answers. */
export type DisclosurePlan = {
  credentialQueryId: string;
  credentialId: string;
  vct?: string;
  iss: string;
  disclosed: DisclosedClaim[];
};

/** A presentation: the SD-JWT+KB, which credential and query it answers, what it discloses, and the vp_token. */
export type PresentationResult = {
  /** The SD-JWT+KB answering the first (or only) required credential query. */
  presentation: string;
  credentialQueryId: string;
  credentialId: string;
  disclosed: DisclosedClaim[];
  /** OpenID4VP vp_token: every required credential query id -> [SD-JWT+KB]. */
  vpToken: Record<string, string[]>;
  plan: DisclosurePlan[];
};

/** A credential that answers a credential query: the claims it would disclose and the disclosures that takes. */
type Candidate = { info: StoredCredentialInfo; cred: DecodedCredential; claims: DisclosedClaim[]; disclosures: Set<number> };
type Usable = { info: StoredCredentialInfo; cred: DecodedCredential };

/** Issuance time (`iat`, or VCDM 2.0 `validFrom`), seconds; -1 when absent so any dated credential is newer. */
function issuedAt(cred: DecodedCredential): number {
  const { iat, validFrom } = cred.jws.payload as { iat?: unknown; validFrom?: unknown };
  if (typeof iat === 'number' && Number.isFinite(iat)) return iat;
  if (typeof validFrom === 'string' && Number.isFinite(Date.parse(validFrom))) return Math.floor(Date.parse(validFrom) / 1000);
  return -1;
}

/**
 * Whether `a` is preferred to `b`: the newer credential (issued later, then imported later: a
 * re-issue supersedes what it replaces), then the one that needs fewer disclosures, then the
 * smaller one (a lite companion rather than its credential).
 */
function better(a: Candidate, b: Candidate): boolean {
  const ia = issuedAt(a.cred);
  const ib = issuedAt(b.cred);
  if (ia !== ib) return ia > ib;
  if (a.info.importedAt !== b.info.importedAt) return a.info.importedAt > b.info.importedAt;
  if (a.disclosures.size !== b.disclosures.size) return a.disclosures.size < b.disclosures.size;
  // A credential and its lite companion tie on all of the above: the smaller issuer JWT makes the smaller presentation (a kiosk QR of a lower version).
  return a.cred.parsed.jwt.length < b.cred.parsed.jwt.length;
}

const unusableReason = (info: StoredCredentialInfo, nowSec: number): string | undefined =>
  info.state !== 'valid'
    ? `it is ${info.state}`
    : info.expiresAt !== undefined && info.expiresAt <= nowSec
      ? `it expired at ${new Date(info.expiresAt * 1000).toISOString()}`
      : undefined;

/** The one credential the holder chose, checked before matching. */
async function chosenCredential(wallet: Wallet, id: string, nowSec: number): Promise<Usable[]> {
  assertText(id, 'credentialId');
  const known = findCredential(await listCredentials(wallet), id);
  const why = unusableReason(known, nowSec);
  if (why)
    throw new WalletError('CREDENTIAL_UNUSABLE', `credential ${known.id} cannot be presented: ${why}`, { details: [{ path: 'credential', message: why }] });
  return withCompanion(wallet, known);
}

/**
 * A stored credential and, when it has one, its lite companion as a second candidate under the
 * same id (same key and status entry; the smaller answers `lite` first: `better`).
 */
async function withCompanion(wallet: Wallet, known: StoredCredentialInfo): Promise<Usable[]> {
  const { info, sdJwt } = await readCredential(wallet, known.id);
  const out: Usable[] = [{ info, cred: decodeCredential(sdJwt) }];
  const companion = info.companion !== undefined ? await readCompanion(wallet, info.id) : undefined;
  if (companion !== undefined) out.push({ info: { ...info, vct: info.companion }, cred: decodeCredential(companion) });
  return out;
}

const MAX_TEXT = 1024;

function assertText(v: unknown, name: string): asserts v is string {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_TEXT || /[\u0000-\u001f]/.test(v)) {
    throw new WalletError('INVALID_INPUT', `${name} must be a non-empty string of at most ${MAX_TEXT} characters`);
  }
}

function notSatisfied(ids: string[]): WalletError {
  return new WalletError('DCQL_NOT_SATISFIED', `no credential in the wallet satisfies credential query ${[...new Set(ids)].join(', ')}`, {
    details: [...new Set(ids)].map((id) => ({ path: id, message: 'not satisfied' })),
  });
}

/**
 * Builds an SD-JWT+KB presentation for a profile or DCQL query: the matching credential that
 * needs the fewest disclosures, only those disclosures (a nested claim brings only its own and
 * its parents' disclosures), and a KB-JWT signed with the key the credential is bound to.
 * Nothing is signed when the query cannot be satisfied or the holder declines.
 */
export async function createPresentation(wallet: Wallet, request: PresentationRequest): Promise<PresentationResult> {
  wallet.requireKey();
  if ((request.profile === undefined) === (request.dcql === undefined)) throw new WalletError('INVALID_INPUT', 'give exactly one of profile or dcql');
  if (request.profile !== undefined && !isProfileName(request.profile))
    throw new WalletError('INVALID_INPUT', `unknown profile ${String(request.profile)} (lite, upgraded)`);
  const query = request.dcql ?? PROFILES[request.profile!];
  assertDcqlQuery(query);
  assertText(request.aud, 'aud');
  assertText(request.nonce, 'nonce');
  const iat = request.iat ?? Math.floor(wallet.now() / 1000);
  if (!Number.isSafeInteger(iat) || iat < 0) throw new WalletError('INVALID_INPUT', 'iat must be a non-negative integer');

  const nowSec = Math.floor(wallet.now() / 1000);
  const usable: Usable[] = [];
  if (request.credentialId !== undefined) usable.push(...(await chosenCredential(wallet, request.credentialId, nowSec)));
  else {
    for (const info of await listCredentials(wallet)) {
      if (unusableReason(info, nowSec) !== undefined) continue;
      usable.push(...(await withCompanion(wallet, info)));
    }
  }

  const keyAlgs = new Map((await wallet.listKeys()).map((k) => [k.id, k.alg]));
  const chosen = new Map<string, Candidate>();
  const refused = new Map<string, string>();
  const mismatch = new Map<string, string>();
  for (const q of query.credentials) {
    let best: Candidate | undefined;
    for (const u of usable) {
      const { root } = u.cred.unpacked;
      const vct = u.cred.jws.payload.vct;
      const match = matchCredentialQuery({ format: u.cred.format, vct: typeof vct === 'string' ? vct : undefined, claims: root.value }, q);
      if (!match.ok) {
        if (!mismatch.has(q.id)) mismatch.set(q.id, match.reason);
        continue;
      }
      const refusal = request.accepts?.({ format: u.cred.format, alg: String(u.cred.jws.header.alg), kbAlg: keyAlgs.get(u.info.keyId) ?? 'unknown' });
      if (refusal !== undefined) {
        if (!refused.has(q.id)) refused.set(q.id, `credential ${u.info.id}: ${refusal}`);
        continue;
      }
      const disclosures = new Set<number>();
      for (const c of match.claims) disclosuresFor(root, c.path, disclosures);
      const candidate = { ...u, claims: match.claims, disclosures };
      if (!best || better(candidate, best)) best = candidate;
    }
    if (best) chosen.set(q.id, best);
  }
  const required = requiredCredentialQueries(query, new Set(chosen.keys()));
  if (!required.ok) {
    const why = required.unsatisfied.filter((id) => refused.has(id)).map((id) => `credential query ${id}: ${refused.get(id)!}`);
    if (why.length)
      throw new WalletError('CREDENTIAL_ALG_UNSUPPORTED', `nothing the verifier accepts answers the request: ${why.join('; ')}`, {
        details: required.unsatisfied.filter((id) => refused.has(id)).map((id) => ({ path: id, message: refused.get(id)! })),
      });
    if (request.credentialId !== undefined) {
      const unsatisfied = [...new Set(required.unsatisfied)];
      const reasons = unsatisfied.map((id) => ({ path: id, message: mismatch.get(id) ?? 'not satisfied' }));
      throw new WalletError(
        'CREDENTIAL_DOES_NOT_SATISFY',
        `credential ${request.credentialId} does not answer the request: ${reasons.map((r) => `credential query ${r.path}: ${r.message}`).join('; ')}`,
        { details: reasons },
      );
    }
    throw notSatisfied(required.unsatisfied);
  }
  const ids = required.ids;
  const plan: DisclosurePlan[] = ids.map((id) => {
    const c = chosen.get(id)!;
    return { credentialQueryId: id, credentialId: c.info.id, vct: c.info.vct, iss: c.info.iss, disclosed: c.claims };
  });
  if (request.confirm && !(await request.confirm(plan))) throw new WalletError('CONFIRMATION_DECLINED', 'the holder declined to disclose');

  const vpToken: Record<string, string[]> = {};
  for (const id of ids) {
    const { info, cred, disclosures } = chosen.get(id)!;
    const kept = cred.parsed.disclosures.filter((_, i) => disclosures.has(i)).map((d) => d.encoded);
    const body = `${[cred.parsed.jwt, ...kept].join('~')}~`;
    vpToken[id] = [await appendKbJwt(body, cred.hashAlg, { aud: request.aud, nonce: request.nonce, iat }, await wallet.signer(info.keyId))];
  }
  const first = plan[0]!;
  return {
    presentation: vpToken[first.credentialQueryId]![0]!,
    credentialQueryId: first.credentialQueryId,
    credentialId: first.credentialId,
    disclosed: first.disclosed,
    vpToken,
    plan,
  };
}
