import type { DIDDocument } from '../../core/did/document.js';
import { absoluteVmId } from '../../core/did/document.js';
import { jwkFromDocument } from '../../core/did/resolve.js';
import { JoseError, NetcredError } from '../../core/errors.js';
import { decodeCompact } from '../../core/jose/decode.js';
import { importPublicJwk } from '../../core/jose/jwk.js';
import { verifyCompact, verifyDecoded } from '../../core/jose/verify.js';
import { parseSdJwt } from '../../core/sd-jwt/parse.js';
import { processDisclosures } from '../../core/sd-jwt/disclosures.js';
import { sdHashMatches } from '../../core/sd-jwt/sd-hash.js';
import { issuerIdOf, VC_NEVER_DISCLOSABLE } from './credential.js';
import { VC_V2_CONTEXT, type VcJoseMediaType } from './envelope.js';

export type VcJoseVerifyOptions = {
  /** Resolves the issuer DID (from the header `kid`). */
  resolve: (did: string) => Promise<DIDDocument>;
  /** Current time, epoch seconds. */
  now?: number;
  /** Check exp/nbf/iat and validFrom/validUntil (default true). */
  checkTimes?: boolean;
  skewSeconds?: number;
};

export type VcJoseVerified = {
  mediaType: VcJoseMediaType;
  header: Record<string, unknown>;
  /** The issuer-signed claim set as sent (digests, JWT claims). */
  payload: Record<string, unknown>;
  /** The VCDM 2.0 credential with the disclosures applied and the JWT claims removed. */
  credential: Record<string, unknown>;
  issuer: string;
};

const JWT_CLAIMS = ['iss', 'iat', 'exp', 'nbf', 'cnf', 'jti', '_sd_alg'];
const RESERVED = new Set<string>([...VC_NEVER_DISCLOSABLE, 'iss', 'iat', 'exp', 'nbf', 'cnf', 'status']);

function fail(code: string, message: string): never {
  throw new NetcredError(code, message);
}

function checkTimes(payload: Record<string, unknown>, now: number, skew: number): void {
  const num = (k: string) => {
    const v = payload[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) fail('CREDENTIAL_MALFORMED', `${k} must be a number`);
    return v;
  };
  const exp = num('exp');
  const nbf = num('nbf');
  const iat = num('iat');
  if (exp !== undefined && exp <= now - skew) fail('CREDENTIAL_EXPIRED', 'the credential signature has expired (exp)');
  if (nbf !== undefined && nbf > now + skew) fail('CREDENTIAL_NOT_YET_VALID', 'the credential is not valid yet (nbf)');
  if (iat !== undefined && iat > now + skew) fail('CREDENTIAL_NOT_YET_VALID', 'the credential was issued in the future (iat)');
  const date = (k: string) => {
    const v = payload[k];
    if (v === undefined) return undefined;
    const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
    if (Number.isNaN(t)) fail('CREDENTIAL_MALFORMED', `${k} is not a dateTime`);
    return t / 1000;
  };
  const from = date('validFrom');
  const until = date('validUntil');
  if (from !== undefined && from > now + skew) fail('CREDENTIAL_NOT_YET_VALID', 'validFrom is in the future');
  if (until !== undefined && until <= now - skew) fail('CREDENTIAL_EXPIRED', 'validUntil has passed');
}

/**
 * Verifies a VCDM 2.0 credential secured with JOSE (vc+jwt) or SD-JWT (vc+sd-jwt): `typ` equals
 * the media type, the `kid` is a DID URL of the issuer (`issuer` = `iss` = the kid's DID) listed
 * for assertions, the signature verifies with that key, disclosures obey RFC 9901 and never
 * carry the members that must stay in the clear, an attached KB-JWT matches `cnf` and `sd_hash`.
 */
export async function verifyVcJose(token: string, mediaType: VcJoseMediaType, options: VcJoseVerifyOptions): Promise<VcJoseVerified> {
  const sd = mediaType === 'vc+sd-jwt' ? parseSdJwt(token) : undefined;
  if (!sd && token.includes('~')) fail('CREDENTIAL_MALFORMED', 'a vc+jwt has no disclosures');
  const decoded = decodeCompact(sd ? sd.jwt : token);
  const { header, payload } = decoded;
  if (header.typ !== mediaType) throw new JoseError('TYP_INVALID', `typ ${String(header.typ)} is not ${mediaType}`);
  if (header.cty !== undefined && header.cty !== 'vc') throw new JoseError('CTY_INVALID', `cty ${String(header.cty)} is not vc`);
  const kid = header.kid;
  if (typeof kid !== 'string' || !kid.startsWith('did:') || !kid.includes('#')) throw new JoseError('KID_INVALID', 'kid must be a DID URL of the issuer key');
  const did = kid.split('#')[0]!;
  const issuer = issuerIdOf(payload.issuer);
  if (issuer !== did) fail('ISSUER_MISMATCH', `issuer ${String(issuer)} is not the DID of kid ${kid}`);
  if (payload.iss !== undefined && payload.iss !== issuer) fail('ISSUER_MISMATCH', `iss ${String(payload.iss)} does not equal issuer ${issuer}`);

  const doc = await options.resolve(did);
  const jwk = jwkFromDocument(doc, did, kid);
  const assertion = doc.assertionMethod;
  if (assertion && !assertion.some((a) => absoluteVmId(did, typeof a === 'string' ? a : a.id) === absoluteVmId(did, kid))) {
    fail('KEY_NOT_FOR_ASSERTION', `${kid} is not an assertion method of ${did}`);
  }
  verifyDecoded(decoded, importPublicJwk(jwk, `key ${kid}`), { typ: mediaType });

  let claims: Record<string, unknown> = payload;
  if (sd) {
    const processed = processDisclosures(payload, sd.disclosures);
    claims = processed.claims;
    const alg = processed.sdAlg;
    for (const name of RESERVED) {
      if (Object.hasOwn(claims, name) && !Object.hasOwn(payload, name)) fail('SD_RESERVED_CLAIM', `${name} must not be selectively disclosed`);
    }
    if (sd.kbJwt) {
      const cnfJwk = (payload.cnf as { jwk?: unknown } | undefined)?.jwk;
      if (!cnfJwk) fail('KB_UNEXPECTED', 'a KB-JWT is attached but the credential has no cnf.jwk');
      const kb = verifyCompact(sd.kbJwt, importPublicJwk(cnfJwk, 'cnf.jwk'), { typ: 'kb+jwt' });
      if (!sdHashMatches(kb.payload.sd_hash, sd.sdHashInput, alg)) fail('KB_SD_HASH_MISMATCH', 'the KB-JWT sd_hash does not match');
    }
  }
  const contexts = claims['@context'];
  if (!Array.isArray(contexts) || contexts[0] !== VC_V2_CONTEXT) fail('CREDENTIAL_MALFORMED', `the first @context must be ${VC_V2_CONTEXT}`);
  const types = claims.type;
  if (!(Array.isArray(types) ? types : [types]).includes('VerifiableCredential')) fail('CREDENTIAL_MALFORMED', 'type must include VerifiableCredential');
  if (options.checkTimes !== false) checkTimes(claims, options.now ?? Math.floor(Date.now() / 1000), options.skewSeconds ?? 60);

  const credential = Object.fromEntries(Object.entries(claims).filter(([k]) => !JWT_CLAIMS.includes(k)));
  return { mediaType, header, payload, credential, issuer };
}
