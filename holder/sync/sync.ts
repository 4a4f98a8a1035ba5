import type { Resolver } from 'did-resolver';
import { resolveIssuerKey } from '../issuer-key.js';
import { isNetcredError, toNetcredError } from '../../core/errors.js';
import { decodeCompact } from '../../core/jose/decode.js';
import { STATUS_INVALID, STATUS_SUSPENDED, STATUS_VALID } from '../../core/status/status-list.js';
import { verifyStatusListToken, type StatusListTokenContents } from '../../core/status/status-list-token.js';
import { bitstringStatusRefs } from '../../core/status/reference.js';
import { W3C_SD_JWT_TYP } from '../../core/vc/formats.js';
import { decodeCredential } from '../credential.js';
import { WalletError } from '../errors.js';
import { bitstringStatus } from './bitstring.js';
import { discoveryBaseOf, isBuiltInVct, learnTypeProfiles, type LearnedProfiles } from '../profiles/learn.js';
import { boundedFetchText, loopbackAwareResolver } from '../net.js';
import { deleteCredential, listCredentials, readCredential, setCredentialState } from '../store/credentials.js';
import type { Wallet } from '../wallet.js';

/** How syncWallet fetches status lists: the DID resolver, the timeout and the largest token accepted. */
export type SyncOptions = {
  resolver?: Resolver;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** Largest status list token accepted (default 1 MiB). */
  maxTokenBytes?: number;
};

/** A credential syncWallet looked at: its id, vct and issuer. */
export type SyncEntry = { id: string; vct?: string; iss: string };

/**
 * What a sync did. A revoked credential is deleted whatever the issuer's reason (the wallet is
 * not told why: `device_lost`, `superseded`... all read as "revoked"); a suspended one is kept
 * but not presented; nothing is changed for a credential whose status could not be verified.
 */
export type SyncReport = {
  deleted: (SyncEntry & { reason: 'revoked' })[];
  suspended: SyncEntry[];
  valid: SyncEntry[];
  /** Credentials without a status list reference: nothing to check. */
  unchecked: SyncEntry[];
  errors: (SyncEntry & { code: string; message: string })[];
  /**
   * Profiles (named DCQL queries) of the registered types the wallet holds, learned again from
   * their issuers (best effort: a failure here changes no credential, and is listed in `profileErrors`).
   */
  profiles?: LearnedProfiles[];
  profileErrors?: { iss: string; code: string; message: string }[];
};

/**
 * Fetches and verifies the status list of every stored credential (IETF token status list for
 * SD-JWT VCs, W3C Bitstring Status List for vc+sd-jwt), then applies the statuses.
 */
export async function syncWallet(wallet: Wallet, options: SyncOptions = {}): Promise<SyncReport> {
  const creds = await listCredentials(wallet);
  const resolver = options.resolver ?? loopbackAwareResolver();
  const report: SyncReport = { deleted: [], suspended: [], valid: [], unchecked: [], errors: [] };
  const fetched = new Map<string, Promise<string>>();
  const nowSec = Math.floor(wallet.now() / 1000);

  const fetchOnce = (uri: string, accept: string): Promise<string> => {
    let body = fetched.get(uri);
    if (!body) {
      body = boundedFetchText(uri, { accept, maxBytes: options.maxTokenBytes ?? 1024 * 1024, timeoutMs: options.timeoutMs ?? 10_000 });
      fetched.set(uri, body);
    }
    return body;
  };

  for (const c of creds) {
    const entry: SyncEntry = c.vct === undefined ? { id: c.id, iss: c.iss } : { id: c.id, vct: c.vct, iss: c.iss };
    try {
      let status: number;
      if (c.status) {
        const uri = c.status.uri;
        const jwt = (await fetchOnce(uri, 'application/statuslist+jwt')).trim();
        // The token must be signed by the credential's issuer: its kid has to belong to the credential's iss.
        const kid = decodeCompact(jwt).header.kid;
        const { key } = await resolveIssuerKey(resolver, c.iss, typeof kid === 'string' ? kid : c.issuerKid);
        const token: StatusListTokenContents = verifyStatusListToken(jwt, key, { uri, issuer: c.iss, now: nowSec });
        status = token.list.get(c.status.idx);
      } else {
        // W3C credentials (vc+sd-jwt) carry BitstringStatusListEntry items in credentialStatus.
        const refs =
          c.format === W3C_SD_JWT_TYP
            ? bitstringStatusRefs(decodeCredential((await readCredential(wallet, c.id)).sdJwt).jws.payload, { ignoreUnknownTypes: true })
            : [];
        if (!refs.some((r) => r.statusPurpose === 'revocation' || r.statusPurpose === 'suspension')) {
          report.unchecked.push(entry);
          continue;
        }
        status = await bitstringStatus(refs, c.iss, (uri) => fetchOnce(uri, 'application/vc+jwt, application/jwt'), resolver, nowSec);
      }
      if (status === STATUS_INVALID) {
        await deleteCredential(wallet, c.id);
        report.deleted.push({ ...entry, reason: 'revoked' });
      } else if (status === STATUS_SUSPENDED) {
        await setCredentialState(wallet, c.id, 'suspended');
        report.suspended.push(entry);
      } else if (status === STATUS_VALID) {
        await setCredentialState(wallet, c.id, 'valid');
        report.valid.push(entry);
      } else {
        throw new WalletError('STATUS_UNKNOWN', `status value ${status} has an application-specific meaning; the credential is left as it is`);
      }
    } catch (err) {
      const e = isNetcredError(err) ? err : toNetcredError(err);
      report.errors.push({ ...entry, code: e.code, message: e.message });
    }
  }
  await relearnProfiles(wallet, report);
  return report;
}

/** Learns again the profiles of every registered type the wallet still holds, one issuer at a time. */
async function relearnProfiles(wallet: Wallet, report: SyncReport): Promise<void> {
  const byIssuer = new Map<string, { base?: string; vcts: Set<string> }>();
  for (const c of await listCredentials(wallet)) {
    if (c.vct === undefined || isBuiltInVct(c.vct)) continue;
    const at = byIssuer.get(c.iss) ?? { vcts: new Set<string>() };
    at.base ??= discoveryBaseOf(c.iss, c.status?.uri);
    at.vcts.add(c.vct);
    byIssuer.set(c.iss, at);
  }
  for (const [iss, { base, vcts }] of byIssuer) {
    if (base === undefined) continue;
    try {
      (report.profiles ??= []).push(...(await learnTypeProfiles(wallet, base, iss, [...vcts])));
    } catch (err) {
      const e = toNetcredError(err);
      (report.profileErrors ??= []).push({ iss, code: e.code, message: e.message });
    }
  }
}
