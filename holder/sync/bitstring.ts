import type { Resolver } from 'did-resolver';
import { resolvePublicKey } from '../../core/did/resolve.js';
import { decodeCompact } from '../../core/jose/decode.js';
import { verifyDecoded } from '../../core/jose/verify.js';
import { Bitstring } from '../../core/status/bitstring.js';
import type { BitstringStatusRef } from '../../core/status/reference.js';
import { STATUS_INVALID, STATUS_SUSPENDED, STATUS_VALID } from '../../core/status/status-list.js';
import { WalletError } from '../errors.js';

function bad(message: string): WalletError {
  return new WalletError('STATUS_LIST_INVALID', message);
}

const dateSeconds = (v: unknown): number | undefined => (typeof v === 'string' && Number.isFinite(Date.parse(v)) ? Math.floor(Date.parse(v) / 1000) : undefined);

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
    const { key } = await resolvePublicKey(resolver, iss, typeof kid === 'string' ? kid : undefined);
    verifyDecoded(decoded, key);
    const payload = decoded.payload;
    const vc = (payload.vc && typeof payload.vc === 'object' ? payload.vc : payload) as Record<string, unknown>;
    const types = Array.isArray(vc.type) ? vc.type : [vc.type];
    if (!types.includes('BitstringStatusListCredential')) throw bad(`${e.statusListCredential} is not a BitstringStatusListCredential`);
    const issuer = typeof vc.issuer === 'string' ? vc.issuer : (vc.issuer as { id?: unknown } | undefined)?.id;
    if (issuer !== iss || (payload.iss !== undefined && payload.iss !== iss)) throw bad(`${e.statusListCredential} is not issued by ${iss}`);
    if (vc.id !== undefined && vc.id !== e.statusListCredential) throw bad(`${e.statusListCredential} names itself ${String(vc.id)}`);
    const exp = typeof payload.exp === 'number' ? payload.exp : dateSeconds(vc.validUntil);
    if (exp !== undefined && exp <= nowSec) throw bad(`${e.statusListCredential} expired`);
    const subject = vc.credentialSubject as Record<string, unknown> | undefined;
    if (!subject || typeof subject.encodedList !== 'string') throw bad(`${e.statusListCredential} has no encodedList`);
    if (subject.statusPurpose !== undefined && subject.statusPurpose !== e.statusPurpose) throw bad(`${e.statusListCredential} is a ${String(subject.statusPurpose)} list, not ${e.statusPurpose}`);
    const set = Bitstring.decode(subject.encodedList).get(e.statusListIndex);
    if (set && e.statusPurpose === 'revocation') return STATUS_INVALID;
    if (set) result = STATUS_SUSPENDED;
  }
  return result;
}
