import { STATUS_IDX } from '../suite.js';
import { accept, reject, type CaseDef } from './define.js';

const TSL = 'Token Status List';

export const statusCases: CaseDef[] = [
  accept('status-valid', 'status VALID in a fresh list', `${TSL} §8`, 'The referenced entry is 0x00 VALID.', (s) => s.credential('st-valid')),
  reject(
    'status-revoked',
    'status INVALID (revoked)',
    'STATUS_REVOKED',
    `${TSL} §7.1`,
    '0x01 INVALID: the credential is revoked and MUST NOT be accepted.',
    (s) => s.credential('st-revoked', { status: { uri: s.mainList, idx: STATUS_IDX.revoked } }),
  ),
  reject('status-suspended', 'status SUSPENDED', 'STATUS_SUSPENDED', `${TSL} §7.1`, '0x02 SUSPENDED: temporarily invalid.', (s) =>
    s.credential('st-suspended', { status: { uri: s.mainList, idx: STATUS_IDX.suspended } }),
  ),
  reject(
    'status-application-specific',
    'status 0x03 (application specific)',
    'STATUS_UNKNOWN',
    `${TSL} §7.1`,
    '0x03 has an application-specific meaning; a verifier that does not know it cannot treat it as VALID.',
    (s) => s.credential('st-3', { status: { uri: s.mainList, idx: STATUS_IDX.applicationSpecific } }),
  ),
  reject(
    'status-index-out-of-range',
    'idx beyond the list',
    'STATUS_UNKNOWN',
    `${TSL} §8.3`,
    'An index outside the list has no status: the verifier MUST NOT assume VALID.',
    (s) => s.credential('st-oor', { status: { uri: s.mainList, idx: STATUS_IDX.size + 5 } }),
  ),
  reject(
    'status-list-other-url',
    'the list stored at the URL names itself another URL (sub)',
    'STATUS_LIST_MISMATCH',
    `${TSL} §8.3`,
    'The token sub MUST equal the uri of the reference.',
    (s) => {
      const l = s.statusList('other-url', () => {}, { sub: `https://issuer.example/status/elsewhere` });
      return s.credential('st-other-url', { status: { uri: l.uri, idx: STATUS_IDX.valid } });
    },
  ),
  reject(
    'status-list-other-issuer',
    'the list is signed by another (trusted) issuer',
    'STATUS_LIST_MISMATCH',
    `${TSL} §8.3`,
    'The token MUST be signed by the issuer of the referenced credential (or one it delegates to).',
    (s) => {
      const l = s.statusList('other-issuer', () => {}, { signer: s.otherIssuer });
      return s.credential('st-other-iss', { status: { uri: l.uri, idx: STATUS_IDX.valid } });
    },
  ),
  reject(
    'status-list-iss-other',
    'the list carries iss of another issuer',
    'STATUS_LIST_MISMATCH',
    `${TSL} §8.3`,
    "When the token has iss it MUST equal the credential's iss.",
    (s) => {
      const l = s.statusList('iss-other', () => {}, { iss: s.otherIssuer.did });
      return s.credential('st-iss-other', { status: { uri: l.uri, idx: STATUS_IDX.valid } });
    },
  ),
  reject('status-list-expired', 'the list expired an hour ago', 'STATUS_LIST_STALE', `${TSL} §8.3`, 'A token past its exp MUST NOT be used.', (s) => {
    const l = s.statusList('expired', () => {}, { exp: s.now - 3600 });
    return s.credential('st-expired', { status: { uri: l.uri, idx: STATUS_IDX.valid } });
  }),
  reject(
    'status-list-absent',
    'the referenced list is not available',
    'STATUS_UNKNOWN',
    `${TSL} §8.3`,
    'Without the list the status cannot be established; the verifier MUST NOT assume VALID (netcred policy: reject).',
    (s) => s.credential('st-absent', { status: { uri: 'https://issuer.example/status/not-published', idx: STATUS_IDX.valid } }),
  ),
  accept('status-list-bits-1', 'a 1-bit list, entry VALID', `${TSL} §4.1`, 'bits may be 1, 2, 4 or 8.', (s) => {
    const l = s.statusList('bits1', (list) => list.set(1, 1), { bits: 1 });
    return s.credential('st-bits1', { status: { uri: l.uri, idx: 2 } });
  }),
  reject('status-list-bits-1-revoked', 'a 1-bit list, entry INVALID', 'STATUS_REVOKED', `${TSL} §4.1 / §7.1`, 'In a 1-bit list, 1 is INVALID.', (s) => {
    const l = s.statusList('bits1', (list) => list.set(1, 1), { bits: 1 });
    return s.credential('st-bits1-rev', { status: { uri: l.uri, idx: 1 } });
  }),
  accept('status-list-bits-8', 'an 8-bit list, entry VALID', `${TSL} §4.1`, 'bits may be 8.', (s) => {
    const l = s.statusList('bits8', (list) => list.set(3, 2), { bits: 8 });
    return s.credential('st-bits8', { status: { uri: l.uri, idx: 4 } });
  }),
  reject(
    'status-list-bits-8-suspended',
    'an 8-bit list, entry SUSPENDED',
    'STATUS_SUSPENDED',
    `${TSL} §4.1 / §7.1`,
    'The value is read from the whole byte.',
    (s) => {
      const l = s.statusList('bits8', (list) => list.set(3, 2), { bits: 8 });
      return s.credential('st-bits8-sus', { status: { uri: l.uri, idx: 3 } });
    },
  ),
  reject('status-idx-negative', 'idx -1', 'MALFORMED', `${TSL} §6.2`, 'idx is a non-negative integer.', (s) =>
    s.credential('st-neg', { status: { uri: s.mainList, idx: -1 } }),
  ),
  reject('status-idx-string', 'idx a string', 'MALFORMED', `${TSL} §6.2`, 'idx is an integer.', (s) =>
    s.credential('st-idx-str', { payload: (p) => void ((p.status as { status_list: Record<string, unknown> }).status_list.idx = '7') }),
  ),
  reject('status-uri-missing', 'status_list without uri', 'MALFORMED', `${TSL} §6.2`, 'uri is REQUIRED.', (s) =>
    s.credential('st-no-uri', { payload: (p) => void delete (p.status as { status_list: Record<string, unknown> }).status_list.uri }),
  ),
];
