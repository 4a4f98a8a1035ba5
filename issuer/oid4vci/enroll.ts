import { randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import { InvalidInputError, type ErrorDetail } from '../../core/errors.js';
import { isCredentialFormat, SD_JWT_VC_TYP, type CredentialFormat } from '../../core/vc/formats.js';
import { validateIdentityClaims, type IdentityClaims } from '../../schemas/index.js';
import type { IssuerContext } from '../context.js';
import { compiledCredentialType, validateTypedClaims } from '../credential-types/index.js';
import { RESIDENT_IDENTITY_VCT } from '../../schemas/profiles/index.js';
import { authorizationCodeEnabled } from '../oauth-policy.js';
import { AUTHORIZATION_CODE_GRANT, issuerIdentifier, OID4VCI_LIMITS, OID4VCI_PATHS, PRE_AUTHORIZED_GRANT } from './config.js';
import { configurationIdForFormat } from './metadata.js';
import { randomDigits, randomSecret, seal, secretHash, txCodeMac, unseal } from './secrets.js';
import { findOffer, insertOffer, nowSeconds, standalone, sweepExpired } from './store.js';

/** The grant(s) an enrollment's offer carries (EnrollmentInput.grant). */
export type EnrollmentGrant = 'pre-authorized_code' | 'authorization_code' | 'both';
const GRANTS: readonly EnrollmentGrant[] = ['pre-authorized_code', 'authorization_code', 'both'];

/** How the resident's identity was proven at the enrollment point. */
export type EnrollmentEvidence = { method: 'chip+face' | 'face'; station: string; time: string };

/**
 * An enrollment: the claims, the evidence checked at the enrollment point, whether a tx_code protects the offer,
 * the format and the grant.
 */
export type EnrollmentInput = {
  claims: unknown;
  evidence: unknown;
  /** Protect the offer with a 6-digit tx_code given to the resident out of band. */
  txCode?: boolean;
  format?: CredentialFormat;
  /**
   * The offer's grant: `pre-authorized_code` (the default), `authorization_code` (the wallet asks
   * for authorization, which the enrollment point approves; needs the authorization code flow on),
   * or `both`.
   */
  grant?: EnrollmentGrant;
  /** Also render the offer as a PNG QR code (data URL). */
  qr?: boolean;
  /** A registered credential type (its claims checked against its schema; dc+sd-jwt, pre-authorized code); default: the resident identity. */
  vct?: string;
};

/** The claims of an enrollment for a registered type, and its configuration id (the vct); every failing field in details. */
async function typedEnrollment(
  ctx: IssuerContext,
  input: EnrollmentInput,
  details: ErrorDetail[],
): Promise<{ claims?: Record<string, unknown>; configurationId?: string }> {
  if (typeof input.vct !== 'string' || input.vct === '' || input.vct.length > 512) {
    details.push({ path: 'vct', message: 'must be a credential type (vct) string' });
    return {};
  }
  const type = await compiledCredentialType(ctx, input.vct);
  if (!type) {
    details.push({ path: 'vct', message: 'is not a registered credential type' });
    return {};
  }
  if (input.format !== undefined && input.format !== SD_JWT_VC_TYP) details.push({ path: 'format', message: `must be ${SD_JWT_VC_TYP} for ${input.vct}` });
  if (input.grant !== undefined && input.grant !== 'pre-authorized_code')
    details.push({ path: 'grant', message: 'a registered credential type is offered with the pre-authorized code grant only' });
  try {
    return { claims: validateTypedClaims(type, input.claims), configurationId: input.vct };
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    details.push(...(err.details ?? []).map((d) => ({ path: d.path === '$' ? 'claims' : `claims.${d.path}`, message: d.message })));
    return {};
  }
}

/** The credential offer of an enrollment: its id, the offer and its URI, the tx_code, a QR image and its expiry. */
export type EnrollmentOffer = {
  offerId: string;
  /** `openid-credential-offer://?credential_offer=...` (by value) */
  offer: string;
  /** `openid-credential-offer://?credential_offer_uri=...` (by reference: a smaller QR code) */
  offerUri: string;
  txCode?: string;
  qrPngDataUrl?: string;
  expiresAt: string;
};

/** Purposes of the keys this module derives from the issuer secret. */
export const CLAIMS_KEY_PURPOSE = 'oid4vci-offer-claims';
export const TX_CODE_KEY_PURPOSE = 'oid4vci-tx-code';

const STATION = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,99}$/;

function parseEvidence(value: unknown, now: Date, details: ErrorDetail[]): EnrollmentEvidence | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    details.push({ path: 'evidence', message: 'must be an object {method, station, time}' });
    return undefined;
  }
  const e = value as Record<string, unknown>;
  const before = details.length;
  for (const key of Object.keys(e))
    if (!['method', 'station', 'time'].includes(key)) details.push({ path: `evidence.${key}`, message: 'is not a known evidence field' });
  if (e.method !== 'chip+face' && e.method !== 'face') details.push({ path: 'evidence.method', message: 'must be chip+face or face' });
  if (typeof e.station !== 'string' || !STATION.test(e.station))
    details.push({ path: 'evidence.station', message: 'must be a station id (1-100 of A-Z a-z 0-9 . _ : @ / -)' });
  const time =
    typeof e.time === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(e.time) ? new Date(e.time) : undefined;
  if (!time || Number.isNaN(time.getTime())) details.push({ path: 'evidence.time', message: 'must be an RFC 3339 date-time' });
  else if (time.getTime() > now.getTime() + 5 * 60_000) details.push({ path: 'evidence.time', message: 'must not be in the future' });
  else if (time.getTime() < now.getTime() - 24 * 3600_000) details.push({ path: 'evidence.time', message: 'must be within the last 24 hours' });
  if (details.length > before) return undefined;
  return { method: e.method as EnrollmentEvidence['method'], station: e.station as string, time: time!.toISOString() };
}

/**
 * The credential offer object (OpenID4VCI 1.0 section 4.1.1): the pre-authorized code grant, and/or
 * the authorization_code grant with an `issuer_state` that ties the wallet's authorization request
 * to this enrollment.
 */
export function credentialOfferObject(
  issuer: string,
  configurationId: string,
  code: string | undefined,
  withTxCode: boolean,
  issuerState?: string,
): Record<string, unknown> {
  const grants: Record<string, unknown> = {};
  if (issuerState !== undefined) grants[AUTHORIZATION_CODE_GRANT] = { issuer_state: issuerState };
  if (code !== undefined) {
    const grant: Record<string, unknown> = { 'pre-authorized_code': code };
    if (withTxCode) {
      grant.tx_code = { input_mode: 'numeric', length: OID4VCI_LIMITS.txCodeLength, description: 'Enter the 6-digit code shown at the enrollment point' };
    }
    grants[PRE_AUTHORIZED_GRANT] = grant;
  }
  return { credential_issuer: issuer, credential_configuration_ids: [configurationId], grants };
}

/**
 * Registers a resident's verified claims with their proofing evidence and returns a credential
 * offer with a pre-authorized code (256 bits, stored hashed, single use, 10 minutes) and/or the
 * authorization code grant (an issuer_state, stored hashed, naming this enrollment). The
 * claims wait sealed with a key derived from the issuer secret and are erased once the
 * credential is issued, the code is burned, or the offer expires.
 */
export async function createEnrollmentOffer(ctx: IssuerContext, input: EnrollmentInput): Promise<EnrollmentOffer> {
  const now = new Date();
  const details: ErrorDetail[] = [];
  let claims: IdentityClaims | Record<string, unknown> | undefined;
  const typed = input.vct !== undefined && input.vct !== RESIDENT_IDENTITY_VCT ? await typedEnrollment(ctx, input, details) : undefined;
  if (typed) claims = typed.claims;
  else {
    try {
      claims = validateIdentityClaims(input.claims, { now });
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      details.push(
        ...(err.details ?? [{ path: 'claims', message: err.message }]).map((d) => ({
          path: d.path === '$' ? 'claims' : `claims.${d.path}`,
          message: d.message,
        })),
      );
    }
  }
  const evidence = parseEvidence(input.evidence, now, details);
  const format = input.format ?? SD_JWT_VC_TYP;
  if (!isCredentialFormat(format)) details.push({ path: 'format', message: 'must be dc+sd-jwt or vc+sd-jwt' });
  if (input.txCode !== undefined && typeof input.txCode !== 'boolean') details.push({ path: 'txCode', message: 'must be a boolean' });
  const grant = input.grant ?? 'pre-authorized_code';
  if (!GRANTS.includes(grant)) details.push({ path: 'grant', message: `must be one of ${GRANTS.join(', ')}` });
  else if (grant !== 'pre-authorized_code' && !authorizationCodeEnabled(ctx.config.oauth)) {
    details.push({ path: 'grant', message: 'the authorization code flow is off on this issuer (netcred issuer settings --authorization-code)' });
  } else if (grant === 'authorization_code' && input.txCode)
    details.push({ path: 'txCode', message: 'a tx_code goes with the pre-authorized code grant only' });
  if (details.length || !claims || !evidence) {
    throw new InvalidInputError(`invalid enrollment: ${[...new Set(details.map((d) => d.path))].join(', ')}`, details);
  }

  const id = randomUUID();
  const code = randomSecret();
  const txCode = input.txCode ? randomDigits(OID4VCI_LIMITS.txCodeLength) : undefined;
  const created = nowSeconds();
  const expires = created + OID4VCI_LIMITS.offerTtl;
  const configurationId = typed?.configurationId ?? configurationIdForFormat(format);
  const issuer = issuerIdentifier(ctx.config.publicUrl);
  // The pre-authorized code of an authorization_code-only offer is never handed out (the column wants one).
  const issuerState = grant === 'pre-authorized_code' ? undefined : randomSecret();
  const offerObject = credentialOfferObject(issuer, configurationId, grant === 'authorization_code' ? undefined : code, txCode !== undefined, issuerState);
  const sealingKey = ctx.deriveKey(CLAIMS_KEY_PURPOSE);
  await sweepExpired(ctx.dataSource, created);
  await insertOffer(standalone(ctx.dataSource), {
    id,
    code_hash: secretHash(code),
    tx_code_mac: txCode ? txCodeMac(ctx.deriveKey(TX_CODE_KEY_PURPOSE), id, txCode) : null,
    configuration_id: configurationId,
    claims_sealed: seal(sealingKey, id, claims),
    offer_sealed: seal(sealingKey, `offer:${id}`, offerObject),
    evidence: JSON.stringify(evidence),
    issuer_state_hash: issuerState === undefined ? null : secretHash(issuerState),
    created_at: created,
    expires_at: expires,
  });

  const offer = `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offerObject))}`;
  const offerUri = `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(`${issuer}${OID4VCI_PATHS.offers}/${id}`)}`;
  const result: EnrollmentOffer = { offerId: id, offer, offerUri, expiresAt: new Date(expires * 1000).toISOString() };
  if (txCode) result.txCode = txCode;
  if (input.qr) result.qrPngDataUrl = await QRCode.toDataURL(offer, { errorCorrectionLevel: 'M', margin: 2 });
  return result;
}

/**
 * The credential offer object behind a `credential_offer_uri`, while the offer is pending;
 * undefined once it was redeemed, burned or has expired (the id is a random UUID).
 */
export async function offerById(ctx: IssuerContext, id: string): Promise<Record<string, unknown> | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)) return undefined;
  const row = await findOffer(standalone(ctx.dataSource), id);
  if (row?.state !== 'pending' || row.expires_at <= nowSeconds() || row.offer_sealed === null) return undefined;
  return unseal<Record<string, unknown>>(ctx.deriveKey(CLAIMS_KEY_PURPOSE), `offer:${id}`, row.offer_sealed);
}
