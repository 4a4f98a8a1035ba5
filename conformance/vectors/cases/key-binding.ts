import { sdDigest } from '../../../core/index.js';
import { accept, reject, type CaseDef } from './define.js';

const KB = 'RFC 9901 §7.3';
const KBJWT = 'RFC 9901 §4.3';

export const keyBindingCases: CaseDef[] = [
  accept(
    'kb-valid',
    'a valid KB-JWT',
    `${KB} step 4`,
    'typ kb+jwt, signed with cnf.jwk, sd_hash over the presented SD-JWT, the expected aud and nonce, a fresh iat.',
    (s) => s.credential('kb-valid'),
  ),
  accept(
    'kb-iat-slightly-ahead',
    'KB-JWT iat 20 s after now (clock skew)',
    `${KBJWT} / RFC 7519 §4.1.6`,
    'A small clock difference is tolerated (netcred: 60 s); iat a few seconds ahead is not a future proof.',
    (s) => s.credential('kb-ahead', { kb: { payload: (p) => void (p.iat = s.now + 20) } }),
  ),
  reject(
    'kb-missing',
    'no KB-JWT where the verifier requires key binding',
    'KB_JWT_MISSING',
    `${KB} step 4`,
    "If key binding is required by the verifier's policy (it is here, case.json policy), the verifier MUST reject a presentation without a KB-JWT.",
    (s) => s.credential('kb-missing', { kb: false }),
  ),
  reject(
    'kb-sd-hash-wrong',
    'sd_hash of another string',
    'KB_JWT_SD_HASH_MISMATCH',
    `${KB} step 4 / ${KBJWT}.1`,
    'sd_hash must be the digest of the presented SD-JWT.',
    (s) => s.credential('kb-sd-hash', { kb: { payload: (p) => void (p.sd_hash = sdDigest('another presentation~')) } }),
  ),
  reject('kb-sd-hash-missing', 'no sd_hash', 'KB_JWT_SD_HASH_MISMATCH', `${KBJWT} / ${KB} step 4`, 'sd_hash is REQUIRED in the KB-JWT.', (s) =>
    s.credential('kb-no-sd-hash', { kb: { payload: (p) => void delete p.sd_hash } }),
  ),
  reject(
    'kb-sd-hash-disclosure-dropped',
    'a disclosure removed after the KB-JWT was made',
    'KB_JWT_SD_HASH_MISMATCH',
    `${KBJWT}.1`,
    'sd_hash covers the disclosures presented: removing one breaks it.',
    (s) => {
      const b = s.credential('kb-dropped');
      const parts = b.presentation.split('~');
      return { ...b, presentation: [...parts.slice(0, 1), ...parts.slice(2)].join('~') };
    },
  ),
  reject(
    'kb-sd-hash-no-trailing-tilde',
    'sd_hash computed without the last ~',
    'KB_JWT_SD_HASH_MISMATCH',
    `${KBJWT}.1`,
    'The hash input ends with the ~ before the KB-JWT.',
    (s) => s.credential('kb-tilde', { kb: { sdHashInput: (input) => input.slice(0, -1) } }),
  ),
  reject('kb-nonce-wrong', 'another nonce', 'KB_JWT_NONCE_MISMATCH', `${KB} step 4`, 'The nonce must be the one the verifier sent.', (s) =>
    s.credential('kb-nonce', { kb: { payload: (p) => void (p.nonce = 'not-the-nonce') } }),
  ),
  reject('kb-nonce-missing', 'no nonce', 'KB_JWT_NONCE_MISMATCH', `${KBJWT}`, 'nonce is REQUIRED in the KB-JWT.', (s) =>
    s.credential('kb-no-nonce', { kb: { payload: (p) => void delete p.nonce } }),
  ),
  reject('kb-aud-wrong', 'another audience', 'KB_JWT_AUD_MISMATCH', `${KB} step 4`, 'The aud must be this verifier.', (s) =>
    s.credential('kb-aud', { kb: { payload: (p) => void (p.aud = 'https://attacker.example') } }),
  ),
  reject('kb-aud-missing', 'no aud', 'KB_JWT_AUD_MISMATCH', `${KBJWT}`, 'aud is REQUIRED in the KB-JWT.', (s) =>
    s.credential('kb-no-aud', { kb: { payload: (p) => void delete p.aud } }),
  ),
  reject(
    'kb-aud-array',
    'aud an array holding the right audience',
    'KB_JWT_AUD_MISMATCH',
    `${KBJWT}`,
    'RFC 9901 §4.3: aud is a single string (the intended receiver).',
    (s) => s.credential('kb-aud-array', { kb: { payload: (p) => void (p.aud = [s.aud]) } }),
  ),
  reject(
    'kb-iat-stale',
    'KB-JWT iat an hour old',
    'KB_JWT_STALE',
    `${KB} step 4`,
    'The verifier checks iat is within an acceptable window (netcred: 300 s); an hour-old proof is a replay risk.',
    (s) => s.credential('kb-stale', { kb: { payload: (p) => void (p.iat = s.now - 3600) } }),
  ),
  reject('kb-iat-future', 'KB-JWT iat an hour ahead', 'KB_JWT_STALE', `${KB} step 4`, 'A proof from the future is outside any acceptable window.', (s) =>
    s.credential('kb-future', { kb: { payload: (p) => void (p.iat = s.now + 3600) } }),
  ),
  reject('kb-iat-missing', 'no iat', 'KB_JWT_INVALID', `${KBJWT}`, 'iat is REQUIRED in the KB-JWT.', (s) =>
    s.credential('kb-no-iat', { kb: { payload: (p) => void delete p.iat } }),
  ),
  reject('kb-iat-string', 'iat a string', 'KB_JWT_INVALID', 'RFC 7519 §4.1.6', 'iat is a NumericDate.', (s) =>
    s.credential('kb-iat-str', { kb: { payload: (p) => void (p.iat = String(s.now)) } }),
  ),
  reject('kb-exp-passed', 'KB-JWT with an exp in the past', 'KB_JWT_STALE', 'RFC 7519 §4.1.4', 'A JWT MUST NOT be accepted on or after its exp.', (s) =>
    s.credential('kb-exp', { kb: { payload: (p) => void (p.exp = s.now - 120) } }),
  ),
  reject('kb-typ-missing', 'KB-JWT without typ', 'KB_JWT_INVALID', `${KBJWT} / ${KB} step 4`, 'typ MUST be kb+jwt.', (s) =>
    s.credential('kb-no-typ', { kb: { header: { typ: undefined } } }),
  ),
  reject('kb-typ-jwt', 'KB-JWT typ JWT', 'KB_JWT_INVALID', `${KBJWT}`, 'typ MUST be kb+jwt (explicit typing, RFC 8725 §3.11).', (s) =>
    s.credential('kb-typ-jwt', { kb: { header: { typ: 'JWT' } } }),
  ),
  reject(
    'kb-signed-by-other-key',
    'KB-JWT signed by a key other than cnf.jwk',
    'KB_JWT_INVALID',
    `${KB} step 4`,
    'The KB-JWT must verify with the holder key the credential binds (cnf).',
    (s) => s.credential('kb-other-key', { kb: { signer: s.stranger } }),
  ),
  reject('kb-signature-tampered', 'KB-JWT signature altered', 'KB_JWT_INVALID', `${KB} step 4`, 'The signature must verify.', (s) =>
    s.credential('kb-tamper', { kb: { signature: 'tamper' } }),
  ),
  reject(
    'kb-alg-none',
    'unsigned KB-JWT (alg none, empty signature)',
    'MALFORMED',
    `${KB} step 4 / RFC 9901 §4.3`,
    'none MUST NOT be accepted for the KB-JWT; the unsigned form (an empty signature part) is not even a KB-JWT where the SD-JWT must end.',
    (s) => s.credential('kb-none', { kb: { header: { alg: 'none' } } }),
  ),
  reject(
    'kb-crit',
    'KB-JWT with crit ["exp"]',
    'KB_JWT_INVALID',
    'RFC 7515 §4.1.11',
    'A recipient that does not understand a critical extension MUST reject the JWS.',
    (s) => s.credential('kb-crit', { kb: { header: { crit: ['x-netcred'], 'x-netcred': 1 } } }),
  ),
  reject(
    'kb-non-canonical-signature',
    'KB-JWT signature with non-canonical base64url',
    'KB_JWT_INVALID',
    'RFC 7515 §2 / RFC 4648 §3.5',
    'The last character carries set unused bits: not the base64url encoding of the signature.',
    (s) => s.credential('kb-noncanon', { kb: { signature: 'non-canonical-b64' } }),
  ),
  reject(
    'kb-without-cnf',
    'a KB-JWT for a credential with no cnf',
    'KB_JWT_INVALID',
    `${KB} step 4 / SD-JWT VC §3.2.2.2`,
    'Without cnf there is no key to verify the KB-JWT with.',
    (s) => s.credential('kb-no-cnf', { cnf: null }),
  ),
  reject(
    'kb-cnf-private-key',
    'cnf.jwk holds a private key (d)',
    'KB_JWT_INVALID',
    'RFC 7800 §3.2',
    'cnf.jwk is a public key; a JWK with d is not one to bind a holder.',
    (s) => s.credential('kb-cnf-d', { cnf: { jwk: s.holder.privateJwk } }),
    {
      netcredNote: 'netcred refuses any cnf.jwk that is not a bare public key',
    },
  ),
];
