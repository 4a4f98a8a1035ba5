import type { DcqlQuery } from '../dcql/query.js';
import { decodeCredential } from '../credential.js';
import { WalletError } from '../errors.js';
import { findCredential, listCredentials, readCredential, type StoredCredentialInfo } from '../store/credentials.js';
import type { Wallet } from '../wallet.js';

/** At most this many claims in one `--disclose` list. */
export const MAX_DISCLOSE_CLAIMS = 64;

/** `given_name,address.locality,nationalities.0` -> claim paths (a segment of digits is an array index). */
export function parseClaimList(list: string): (string | number)[][] {
  const names = list.split(',').map((s) => s.trim());
  if (names.length === 0 || names.some((n) => n === '') || names.length > MAX_DISCLOSE_CLAIMS) {
    throw new WalletError(
      'INVALID_INPUT',
      `name the claims to disclose, comma-separated (at most ${MAX_DISCLOSE_CLAIMS}), e.g. given_name,age_over_18 or address.locality`,
    );
  }
  return names.map((name) => {
    const segments = name.split('.');
    if (segments.some((s) => s === '' || s.length > 256)) throw new WalletError('INVALID_INPUT', `claim ${name} is not a claim path (names separated by dots)`);
    return segments.map((s) => (/^\d{1,9}$/.test(s) ? Number(s) : s));
  });
}

function has(value: unknown, path: readonly (string | number)[]): boolean {
  let node = value;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(node) || seg >= node.length) return false;
      node = node[seg];
    } else {
      if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, seg)) return false;
      node = (node as Record<string, unknown>)[seg];
    }
  }
  return true;
}

/** The credential to disclose from: the one named, else the newest valid one. */
async function credentialFor(wallet: Wallet, credentialId: string | undefined): Promise<StoredCredentialInfo> {
  const all = await listCredentials(wallet);
  if (credentialId !== undefined) return findCredential(all, credentialId);
  const valid = all.filter((c) => c.state === 'valid').sort((a, b) => b.importedAt - a.importedAt);
  if (valid.length === 0)
    throw new WalletError('DCQL_NOT_SATISFIED', 'the wallet holds no valid credential to disclose claims from', {
      details: [{ path: 'credential', message: 'none' }],
    });
  return valid[0]!;
}

/**
 * The DCQL query that asks exactly for `claims` (`netcred wallet present --disclose`) of one
 * credential's type: the credential named by `credentialId`, else the newest valid one. Every
 * path must be a claim the credential holds (CLAIM_UNKNOWN names the first that is not); the
 * query is then answered by createPresentation as any other, disclosing just those claims (a
 * nested one with the disclosures of its parents).
 *
 * @throws WalletError `INVALID_INPUT` (not a claim list), `CLAIM_UNKNOWN`, `CREDENTIAL_NOT_FOUND`,
 * `DCQL_NOT_SATISFIED` (no valid credential).
 */
export async function disclosureQuery(wallet: Wallet, claims: string, credentialId?: string): Promise<{ query: DcqlQuery; credentialId: string }> {
  const paths = parseClaimList(claims);
  const info = await credentialFor(wallet, credentialId);
  const cred = decodeCredential((await readCredential(wallet, info.id)).sdJwt);
  const vct = cred.jws.payload.vct;
  if (typeof vct !== 'string')
    throw new WalletError(
      'INVALID_INPUT',
      `credential ${info.id} is a ${cred.format} without vct: --disclose takes SD-JWT VC credentials (ask with --dcql instead)`,
    );
  for (const path of paths) {
    if (!has(cred.unpacked.claims, path)) {
      const name = path.join('.');
      throw new WalletError('CLAIM_UNKNOWN', `credential ${info.id} (${vct}) has no claim ${name}`, {
        details: [{ path: name, message: 'not a claim of the credential' }],
      });
    }
  }
  const query: DcqlQuery = {
    credentials: [{ id: 'disclose', format: cred.format, meta: { vct_values: [vct] }, claims: paths.map((path) => ({ path })) }],
  } as DcqlQuery;
  return { query, credentialId: info.id };
}
