import { accept, reject, type CaseDef } from './define.js';

const T = 'RFC 9901 §7.1 step 6';

export const timeCases: CaseDef[] = [
  reject('time-exp-passed', 'exp a day ago', 'CREDENTIAL_EXPIRED', `${T} / RFC 7519 §4.1.4`, 'The JWT MUST NOT be accepted on or after exp.', (s) =>
    s.credential('exp-passed', { payload: (p) => void (p.exp = s.now - 86400) }),
  ),
  reject(
    'time-exp-just-passed',
    'exp 10 minutes ago (beyond any small leeway)',
    'CREDENTIAL_EXPIRED',
    `${T} / RFC 7519 §4.1.4`,
    'Leeway is "a few minutes" at most (netcred: 60 s).',
    (s) => s.credential('exp-10min', { payload: (p) => void (p.exp = s.now - 600) }),
  ),
  reject('time-nbf-future', 'nbf a day ahead', 'CREDENTIAL_NOT_YET_VALID', `${T} / RFC 7519 §4.1.5`, 'The JWT MUST NOT be accepted before nbf.', (s) =>
    s.credential('nbf-future', { payload: (p) => void (p.nbf = s.now + 86400) }),
  ),
  reject(
    'time-iat-future',
    'iat a day ahead',
    'CREDENTIAL_NOT_YET_VALID',
    `${T} / SD-JWT VC §3.2.2.2`,
    'A credential issued in the future is not valid yet (SD-JWT VC: iat is the issuance time; netcred treats a future iat like nbf).',
    (s) => s.credential('iat-future', { payload: (p) => void (p.iat = s.now + 86400) }),
  ),
  reject('time-exp-string', 'exp a string', 'MALFORMED', 'RFC 7519 §4.1.4', 'exp is a NumericDate.', (s) =>
    s.credential('exp-str', { payload: (p) => void (p.exp = new Date((s.now + 86400) * 1000).toISOString()) }),
  ),
  accept('time-exp-absent', 'no exp', 'SD-JWT VC §3.2.2.2', 'exp is OPTIONAL in an SD-JWT VC.', (s) =>
    s.credential('exp-none', { payload: (p) => void delete p.exp }),
  ),
  accept('time-iat-absent', 'no iat', 'SD-JWT VC §3.2.2.2', 'iat is OPTIONAL in an SD-JWT VC.', (s) =>
    s.credential('iat-none', { payload: (p) => void delete p.iat }),
  ),
  accept('time-nbf-past', 'nbf an hour ago', 'RFC 7519 §4.1.5', 'A past nbf is satisfied.', (s) =>
    s.credential('nbf-past', { payload: (p) => void (p.nbf = s.now - 3600) }),
  ),
];
