import type { Resolver } from 'did-resolver';
import { resolveIssuerKey } from '../issuer-key.js';
import { decodeCompact } from '../../core/jose/decode.js';
import { verifyDecoded } from '../../core/jose/verify.js';
import { Bitstring } from '../../core/status/bitstring.js';
import { statusListBindingProblem } from '../../core/status/binding.js';
import { readBitstringListCredential } from '../../core/status/list-credential.js';
import type { BitstringStatusRef } from '../../core/status/reference.js';
import { STATUS_INVALID, STATUS_SUSPENDED, STATUS_VALID } from '../../core/status/status-list.js';
import { WalletError } from '../errors.js';

function bad(message: string): WalletError {
  return new WalletError('STATUS_LIST_INVALID', message);
}

/**
 * Status of a W3C credential from its BitstringStatusListEntry items (W3C Bitstring Status List
 * v1.0): each list credential is fetched, its signature checked with a key of the credential's
 * issuer, its issuer, type, purpose, id and validity checked, then the bit read. A set
 * revocation bit wins over a set suspension bit. `refresh`/`message` entries are ignored.
 */
export async function bitstringStatus(
  entries: BitstringStatusRef[],
  iss: string,
  fetchList: (uri: string) => Promise<string>,
  resolver: Resolver,
  nowSec: number,
): Promise<number> {
  let result = STATUS_VALID;
  for (const e of entries) {
    if (e.statusPurpose !== 'revocation' && e.statusPurpose !== 'suspension') continue;
    if (e.statusSize !== 1) throw new WalletError('STATUS_UNKNOWN', `statusSize ${e.statusSize} is not supported`);
    const jwt = (await fetchList(e.statusListCredential)).trim();
    const decoded = decodeCompact<Record<string, unknown>>(jwt);
    const kid = decoded.header.kid;
    const { key } = await resolveIssuerKey(resolver, iss, typeof kid === 'string' ? kid : undefined);
    verifyDecoded(decoded, key);
    const list = readBitstringListCredential(decoded.payload, e.statusListCredential);
    // Bound to the URL the credential references, to its issuer, and not expired (the verifier's rule too).
    const problem = statusListBindingProblem(list.self, { uri: e.statusListCredential, issuer: iss }, nowSec);
    if (problem) throw new WalletError(problem.reason === 'expired' ? 'STATUS_LIST_EXPIRED' : 'STATUS_LIST_MISMATCH', problem.message);
    if (!list.purposes.includes(e.statusPurpose))
      throw bad(`${e.statusListCredential} is a ${list.purposes.join('/') || 'purposeless'} list, not ${e.statusPurpose}`);
    const set = Bitstring.decode(list.encodedList).get(e.statusListIndex);
    if (set && e.statusPurpose === 'revocation') return STATUS_INVALID;
    if (set) result = STATUS_SUSPENDED;
  }
  return result;
}
