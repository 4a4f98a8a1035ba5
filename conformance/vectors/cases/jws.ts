import { accept, reject, type CaseDef } from './define.js';

const S2 = 'RFC 9901 §7.1 step 2';

export const jwsCases: CaseDef[] = [
  reject(
    'jws-alg-none',
    'issuer JWT with alg none and no signature',
    'MALFORMED',
    `${S2} / RFC 9901 §4.1`,
    'The none algorithm MUST NOT be accepted (netcred stops earlier: an empty signature part is not a compact JWS).',
    (s) => s.credential('alg-none', { header: { alg: 'none' } }),
  ),
  reject('jws-alg-none-with-signature', 'alg none but a signature appended', 'ALG_NOT_ALLOWED', `${S2}`, 'none is refused whatever follows.', (s) => {
    const b = s.credential('alg-none-sig', { header: { alg: 'none' } });
    const sig = s.credential('alg-none-sig').issuerJwt.split('.')[2]!;
    return { ...b, presentation: b.presentation.replace(`${b.issuerJwt}~`, `${b.issuerJwt}${sig}~`) };
  }),
  reject(
    'jws-alg-hs256',
    'alg HS256 (MAC keyed with the issuer public key)',
    'ALG_NOT_ALLOWED',
    `${S2} / RFC 8725 §3.1`,
    'A verifier accepts only the algorithms it expects for the issuer key; a MAC over a public key is the key-confusion attack.',
    (s) => s.credential('alg-hs', { header: { alg: 'HS256' } }),
  ),
  reject('jws-alg-rs256', 'alg RS256 header on an EC/OKP key', 'ALG_NOT_ALLOWED', `${S2}`, 'An algorithm the issuer key cannot use is not acceptable.', (s) =>
    s.credential('alg-rs', { header: { alg: 'RS256' } }),
  ),
  reject(
    'jws-alg-mismatch',
    'alg of the other curve family (EdDSA vs ES256)',
    'SIGNATURE_INVALID',
    `${S2} / RFC 7515 §5.2`,
    'The signature does not verify under the alg the header names with the issuer key.',
    (s) => s.credential('alg-other', { header: { alg: s.alg === 'EdDSA' ? 'ES256' : 'EdDSA' } }),
  ),
  reject(
    'jws-crit-unknown',
    'crit names an extension the verifier does not understand',
    'MALFORMED',
    'RFC 7515 §4.1.11',
    'A recipient MUST reject a JWS whose crit lists an extension it does not understand.',
    (s) => s.credential('crit', { header: { crit: ['x-netcred-ext'], 'x-netcred-ext': true } }),
  ),
  reject(
    'jws-crit-empty',
    'crit an empty array',
    'MALFORMED',
    'RFC 7515 §4.1.11',
    'Producers MUST NOT use the empty list [] as the crit value; recipients MAY reject it (netcred does).',
    (s) => s.credential('crit-empty', { header: { crit: [] } }),
  ),
  reject('jws-signature-tampered', 'issuer signature altered', 'SIGNATURE_INVALID', `${S2}`, 'The signature MUST verify.', (s) =>
    s.credential('sig-tamper', { signature: 'tamper' }),
  ),
  reject('jws-signature-stripped', 'issuer JWT with an empty signature', 'MALFORMED', `${S2} / RFC 7515 §7.1`, 'A signed JWT has a signature part.', (s) =>
    s.credential('sig-strip', { signature: 'strip' }),
  ),
  reject('jws-payload-modified', 'a payload claim changed after signing', 'SIGNATURE_INVALID', `${S2}`, 'The signature covers the payload.', (s) => {
    const b = s.credential('payload-mod');
    const [h, p, sig] = b.issuerJwt.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    payload.exp = (payload.exp as number) + 3650 * 86400;
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`;
    return { ...b, issuerJwt: forged, presentation: b.presentation.replace(b.issuerJwt, forged) };
  }),
  reject(
    'jws-signature-non-canonical-b64',
    'issuer signature with non-canonical base64url',
    'SIGNATURE_INVALID',
    'RFC 7515 §2 / RFC 4648 §3.5',
    'The unused bits of the last character are set: not the canonical encoding; two strings must not verify as one proof.',
    (s) => s.credential('sig-noncanon', { signature: 'non-canonical-b64' }),
  ),
  reject(
    'jws-signature-der',
    'ES256 signature DER-encoded instead of raw r||s',
    'SIGNATURE_INVALID',
    'RFC 7518 §3.4',
    'The ES256 JWS signature is the 64-octet R||S; a DER SEQUENCE MUST be rejected.',
    (s) => s.credential('sig-der', { signature: 'der' }),
    { only: { alg: 'ES256' } },
  ),
  accept(
    'jws-signature-high-s',
    'ES256 signature with high S (n - s)',
    'RFC 7518 §3.4',
    'JWS ES256 has no low-S rule (unlike Bitcoin): (r, n-s) is a valid ECDSA signature and verifiers accept it.',
    (s) => s.credential('sig-high-s', { signature: 'high-s' }),
    { only: { alg: 'ES256' } },
  ),
  reject(
    'jws-signature-ed25519-s-plus-l',
    'Ed25519 signature with S + L (non-canonical S)',
    'SIGNATURE_INVALID',
    'RFC 8032 §5.1.7',
    'A verifier MUST reject an Ed25519 signature whose S is not below L (malleability).',
    (s) => s.credential('sig-s-l', { signature: 'ed25519-s-plus-l' }),
    { only: { alg: 'EdDSA' } },
  ),
  reject(
    'jws-kid-other-did',
    'kid a key of another DID',
    'KID_MISMATCH',
    'SD-JWT VC §3.5 / RFC 9901 §7.1 step 2',
    "The signing key must belong to the issuer named by iss; a kid of another DID is not the issuer's key.",
    (s) => s.credential('kid-other', { header: { kid: s.otherIssuer.kid }, signer: s.otherIssuer }),
  ),
  reject('jws-kid-unknown-fragment', 'kid #1 of the issuer DID (it has only #0)', 'KID_MISMATCH', 'SD-JWT VC §3.5', 'kid names no key of the issuer.', (s) =>
    s.credential('kid-frag', { header: { kid: `${s.issuer.did}#1` } }),
  ),
  accept('jws-kid-absent', 'no kid (the issuer DID has one key)', 'SD-JWT VC §3.5 / RFC 7515 §4.1.4', 'kid is OPTIONAL; a did:jwk has exactly one key.', (s) =>
    s.credential('kid-none', { header: { kid: undefined } }),
  ),
  accept('jws-kid-relative', 'kid #0, relative to the issuer DID', 'SD-JWT VC §3.5 / DID Core §3.2', 'A relative DID URL resolves against iss.', (s) =>
    s.credential('kid-rel', { header: { kid: '#0' } }),
  ),
  reject(
    'jws-issuer-untrusted',
    'signed by an issuer that is not trusted',
    'ISSUER_UNTRUSTED',
    `${S2}`,
    'The verifier MUST check the issuer is one it trusts and the key belongs to it.',
    (s) => s.credential('untrusted', { signer: s.stranger, payload: (p) => void (p.iss = s.stranger.did) }),
  ),
  reject(
    'jws-signed-by-other-issuer',
    "iss and kid of the issuer, signed by another trusted issuer's key",
    'SIGNATURE_INVALID',
    `${S2}`,
    "Only the issuer's key may sign for it.",
    (s) => s.credential('other-signer', { signer: s.otherIssuer, header: { kid: s.issuer.kid } }),
  ),
  reject('jws-payload-not-json', 'issuer JWT payload not JSON', 'MALFORMED', 'RFC 7519 §7.2', 'The JWT Claims Set is a JSON object.', (s) =>
    s.credential('not-json', { rawPayload: 'not json at all' }),
  ),
  reject('jws-payload-json-array', 'issuer JWT payload a JSON array', 'MALFORMED', 'RFC 7519 §7.2', 'The JWT Claims Set MUST be a JSON object.', (s) =>
    s.credential('json-array', { rawPayload: '[1,2,3]' }),
  ),
  reject('jws-header-not-json', 'issuer JWT header not JSON', 'MALFORMED', 'RFC 7515 §5.2', 'The JOSE header is a JSON object.', (s) => {
    const b = s.credential('hdr-bad');
    const [, p, sig] = b.issuerJwt.split('.') as [string, string, string];
    const forged = `${Buffer.from('{alg:EdDSA').toString('base64url')}.${p}.${sig}`;
    return { ...b, presentation: b.presentation.replace(b.issuerJwt, forged) };
  }),
];
