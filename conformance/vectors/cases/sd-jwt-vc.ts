import { sdDigest } from '../../../core/index.js';
import { encodeDisclosure } from '../sd.js';
import type { Suite } from '../suite.js';
import { accept, reject, type CaseDef } from './define.js';

const VC = 'SD-JWT VC';
const dc = { format: 'dc+sd-jwt' as const };

/**
 * The claim `name` moved out of the payload into a disclosure (which the issuer must never make),
 * with `value` instead of the usual one when given; presented unless `withhold`.
 */
function disclosed(s: Suite, label: string, name: string, o: { value?: unknown; withhold?: boolean } = {}) {
  let made = '';
  return s.credential(label, {
    payload: (p) => {
      made = encodeDisclosure([s.random.salt(`vc:${label}`), name, o.value ?? p[name]]);
      delete p[name];
      p._sd = [...((p._sd as string[] | undefined) ?? []), sdDigest(made)].sort();
    },
    disclosures: (list) => (o.withhold ? list : [...list, made]),
  });
}

// No case makes exp disclosable and has the holder withhold it: a withheld disclosure is
// invisible to every verifier, so that half of section 3.2.2.2 binds the issuer alone (netcred's
// issuer never makes exp disclosable: SD_RESERVED_CLAIM). A case no verifier can pass would only
// mark every implementation as failing; vc-exp-disclosed-expired covers the half a verifier sees.
export const sdJwtVcCases: CaseDef[] = [
  accept(
    'vc-typ-dc-sd-jwt',
    'typ dc+sd-jwt with vct, cnf and status',
    `${VC} §3.2.1`,
    'The explicit type of an SD-JWT VC is dc+sd-jwt.',
    (s) => s.credential('vc-ok'),
    { only: dc },
  ),
  reject('vc-typ-missing', 'no typ header', 'TYP_INVALID', `${VC} §3.2.1`, 'An SD-JWT VC MUST carry typ dc+sd-jwt.', (s) =>
    s.credential('vc-no-typ', { header: { typ: undefined } }),
  ),
  reject('vc-typ-jwt', 'typ JWT', 'TYP_INVALID', `${VC} §3.2.1`, 'typ JWT is not dc+sd-jwt (explicit typing, RFC 8725 §3.11).', (s) =>
    s.credential('vc-typ-jwt', { header: { typ: 'JWT' } }),
  ),
  reject('vc-typ-other', 'typ example+sd-jwt', 'TYP_INVALID', `${VC} §3.2.1`, 'A generic SD-JWT type is not an SD-JWT VC.', (s) =>
    s.credential('vc-typ-ex', { header: { typ: 'example+sd-jwt' } }),
  ),
  reject(
    'vc-typ-legacy-with-vct',
    'typ vc+sd-jwt on a credential with vct',
    'TYP_INVALID',
    `${VC} §3.2.1`,
    'vc+sd-jwt is the pre-2025 media type (and the W3C VCDM one); -18 requires dc+sd-jwt.',
    (s) => s.credential('vc-legacy', { header: { typ: 'vc+sd-jwt' } }),
    {
      only: dc,
      netcredNote: 'the draft lets a verifier accept vc+sd-jwt during a transition; netcred does not, and neither does the case',
    },
  ),
  reject(
    'vc-vct-missing',
    'no vct',
    'MALFORMED',
    `${VC} §3.2.2.1`,
    'vct is REQUIRED.',
    (s) => s.credential('vc-no-vct', { payload: (p) => void delete p.vct }),
    { only: dc },
  ),
  reject(
    'vc-vct-not-string',
    'vct a number',
    'MALFORMED',
    `${VC} §3.2.2.1`,
    'vct is a case-sensitive string.',
    (s) => s.credential('vc-vct-num', { payload: (p) => void (p.vct = 1) }),
    { only: dc },
  ),
  reject(
    'vc-vct-disclosed',
    'vct selectively disclosable',
    'DISCLOSURE_FORBIDDEN_NAME',
    `${VC} §3.2.2.2`,
    'vct MUST NOT be selectively disclosed.',
    (s) => disclosed(s, 'vc-vct-sd', 'vct'),
    { only: dc },
  ),
  reject(
    'vc-iss-disclosed',
    'iss selectively disclosable',
    'ISSUER_UNTRUSTED',
    `${VC} §3.2.2.2`,
    'iss MUST NOT be selectively disclosed (the verifier must know the issuer before it verifies).',
    (s) => disclosed(s, 'vc-iss-sd', 'iss'),
    { only: dc },
  ),
  reject(
    'vc-exp-disclosed-expired',
    'exp selectively disclosable, in the past, presented',
    'DISCLOSURE_FORBIDDEN_NAME',
    `${VC} §3.2.2.2 / RFC 9901 §7.1 step 6`,
    'exp MUST NOT be selectively disclosed; and the processed payload holds an exp that has passed.',
    (s) => disclosed(s, 'vc-exp-sd', 'exp', { value: s.now - 86400 }),
    { only: dc },
  ),
  reject(
    'vc-cnf-disclosed',
    'cnf selectively disclosable',
    'KB_JWT_INVALID',
    `${VC} §3.2.2.2`,
    'cnf MUST NOT be selectively disclosed.',
    (s) => disclosed(s, 'vc-cnf-sd', 'cnf'),
    { only: dc },
  ),
  reject(
    'vc-status-disclosed',
    'status selectively disclosable',
    'DISCLOSURE_FORBIDDEN_NAME',
    `${VC} §3.2.2.2`,
    'status MUST NOT be selectively disclosed: a holder could hide a revocation.',
    (s) => disclosed(s, 'vc-status-sd', 'status'),
    { only: dc },
  ),
  reject(
    'vc-iss-missing',
    'no iss',
    'ISSUER_UNTRUSTED',
    `${VC} §3.2.2.2 / RFC 9901 §7.1 step 2`,
    'Without iss the verifier cannot tie the key to an issuer.',
    (s) => s.credential('vc-no-iss', { payload: (p) => void delete p.iss }),
    { only: dc },
  ),
  reject(
    'vc-cnf-missing-kb-required',
    'no cnf while key binding is required (no KB-JWT sent)',
    'KB_JWT_MISSING',
    `${VC} §3.2.2.2 / RFC 9901 §7.3`,
    'Key binding is required by policy; there is neither a cnf nor a KB-JWT.',
    (s) => s.credential('vc-no-cnf', { cnf: null, kb: false }),
  ),
];
