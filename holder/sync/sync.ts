import type { Resolver } from 'did-resolver';
import { resolvePublicKey } from '../../core/did/resolve.js';
import { isNetcredError, toNetcredError } from '../../core/errors.js';
import { decodeCompact } from '../../core/jose/decode.js';
import { STATUS_INVALID, STATUS_SUSPENDED, STATUS_VALID } from '../../core/status/status-list.js';
import { verifyStatusListToken, type StatusListTokenContents } from '../../core/status/status-list-token.js';
import { WalletError } from '../errors.js';
import { boundedFetchText, loopbackAwareResolver } from '../net.js';
import { deleteCredential, listCredentials, setCredentialState } from '../store/credentials.js';
import type { Wallet } from '../wallet.js';

export type SyncOptions = {
  resolver?: Resolver;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** Largest status list token accepted (default 1 MiB). */
  maxTokenBytes?: number;
};

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
};

/** Fetches and verifies the status list token of every stored credential, then applies the statuses. */
export async function syncWallet(wallet: Wallet, options: SyncOptions = {}): Promise<SyncReport> {
  const creds = await listCredentials(wallet);
  const resolver = options.resolver ?? loopbackAwareResolver();
  const report: SyncReport = { deleted: [], suspended: [], valid: [], unchecked: [], errors: [] };
  const fetched = new Map<string, Promise<string>>();
  const nowSec = Math.floor(wallet.now() / 1000);

  for (const c of creds) {
    const entry: SyncEntry = c.vct === undefined ? { id: c.id, iss: c.iss } : { id: c.id, vct: c.vct, iss: c.iss };
    if (!c.status) {
      report.unchecked.push(entry);
      continue;
    }
    try {
      const uri = c.status.uri;
      let body = fetched.get(uri);
      if (!body) {
        body = boundedFetchText(uri, { accept: 'application/statuslist+jwt', maxBytes: options.maxTokenBytes ?? 1024 * 1024, timeoutMs: options.timeoutMs ?? 10_000 });
        fetched.set(uri, body);
      }
      const jwt = (await body).trim();
      // The token must be signed by the credential's issuer: its kid has to belong to the credential's iss.
      const kid = decodeCompact(jwt).header.kid;
      const { key } = await resolvePublicKey(resolver, c.iss, typeof kid === 'string' ? kid : c.issuerKid);
      const token: StatusListTokenContents = verifyStatusListToken(jwt, key, { uri, now: nowSec });
      const status = token.list.get(c.status.idx);
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
  return report;
}
