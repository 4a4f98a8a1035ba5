import { Oid4vciClientError } from './errors.js';
import { assertIssuerUrl, requestJson, type HttpOptions } from './http.js';
import { assertJsonDepth } from '../../core/encoding/json.js';

export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
export const AUTHORIZATION_CODE_GRANT = 'authorization_code';

/** What a credential offer says of its tx_code: numeric or text, its length and a description to show. */
export type TxCodeSpec = { input_mode: 'numeric' | 'text'; length?: number; description?: string };

/** The parts of a credential offer (OpenID4VCI 1.0 section 4.1.1) the wallet uses. */
export type CredentialOffer = {
  credential_issuer: string;
  credential_configuration_ids: string[];
  /** The pre-authorized code grant, when offered. */
  preAuthorizedCode?: string;
  txCode?: TxCodeSpec;
  /** The authorization code grant, when offered (OpenID4VCI 4.1.1), with its issuer_state. */
  authorizationCode?: { issuerState?: string; authorizationServer?: string };
};

const MAX_OFFER_URI = 16 * 1024;

function parseOfferObject(value: unknown): CredentialOffer {
  const bad = (why: string) => new Oid4vciClientError('OFFER_INVALID', `credential offer: ${why}`);
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw bad('not a JSON object');
  const o = value as Record<string, unknown>;
  if (typeof o.credential_issuer !== 'string') throw bad('credential_issuer is missing');
  assertIssuerUrl(o.credential_issuer, 'credential_issuer');
  const ids = o.credential_configuration_ids;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((i) => typeof i === 'string' && i.length > 0 && i.length <= 200)) {
    throw bad('credential_configuration_ids must be a non-empty array of strings');
  }
  const grants = (o.grants ?? {}) as Record<string, unknown>;
  if (!grants || typeof grants !== 'object' || Array.isArray(grants)) throw bad('grants must be an object');
  const offer: CredentialOffer = { credential_issuer: o.credential_issuer, credential_configuration_ids: ids as string[] };
  const authz = grants[AUTHORIZATION_CODE_GRANT] as Record<string, unknown> | null | undefined;
  if (authz !== undefined) {
    if (!authz || typeof authz !== 'object' || Array.isArray(authz)) throw bad('the authorization_code grant must be an object');
    if (authz.issuer_state !== undefined && (typeof authz.issuer_state !== 'string' || authz.issuer_state.length === 0 || authz.issuer_state.length > 1024))
      throw bad('issuer_state is invalid');
    if (authz.authorization_server !== undefined && typeof authz.authorization_server !== 'string') throw bad('authorization_server is invalid');
    offer.authorizationCode = {};
    if (authz.issuer_state !== undefined) offer.authorizationCode.issuerState = authz.issuer_state as string;
    if (authz.authorization_server !== undefined) offer.authorizationCode.authorizationServer = authz.authorization_server as string;
  }
  const grant = grants[PRE_AUTHORIZED_GRANT] as Record<string, unknown> | undefined;
  if (grant === undefined) {
    if (!offer.authorizationCode) throw bad('the offer has neither a pre-authorized code nor an authorization code grant');
    return offer;
  }
  if (!grant || typeof grant !== 'object') throw bad('the pre-authorized code grant must be an object');
  const code = grant['pre-authorized_code'];
  if (typeof code !== 'string' || code.length === 0 || code.length > 1024) throw bad('pre-authorized_code is missing');
  offer.preAuthorizedCode = code;
  if (grant.tx_code !== undefined) {
    const t = grant.tx_code as Record<string, unknown> | null;
    if (!t || typeof t !== 'object') throw bad('tx_code must be an object');
    const mode = t.input_mode ?? 'numeric';
    if (mode !== 'numeric' && mode !== 'text') throw bad('tx_code.input_mode must be numeric or text');
    if (t.length !== undefined && (!Number.isSafeInteger(t.length) || (t.length as number) < 1 || (t.length as number) > 64))
      throw bad('tx_code.length is invalid');
    offer.txCode = { input_mode: mode };
    if (t.length !== undefined) offer.txCode.length = t.length as number;
    if (typeof t.description === 'string') offer.txCode.description = t.description.slice(0, 300);
  }
  return offer;
}

/**
 * Resolves `openid-credential-offer://?credential_offer=...` (by value) or
 * `...?credential_offer_uri=https://...` (by reference, fetched).
 */
export async function resolveCredentialOffer(offerUri: string, http: HttpOptions = {}): Promise<CredentialOffer> {
  if (typeof offerUri !== 'string' || offerUri.length > MAX_OFFER_URI)
    throw new Oid4vciClientError('OFFER_INVALID', `the offer URI must be a string of at most ${MAX_OFFER_URI} characters`);
  let url: URL;
  try {
    url = new URL(offerUri.trim());
  } catch (cause) {
    throw new Oid4vciClientError('OFFER_INVALID', 'the offer is not a URI', { cause });
  }
  const byValue = url.searchParams.getAll('credential_offer');
  const byRef = url.searchParams.getAll('credential_offer_uri');
  if (byValue.length + byRef.length !== 1)
    throw new Oid4vciClientError('OFFER_INVALID', 'the offer URI must carry exactly one credential_offer or credential_offer_uri');
  if (byValue.length === 1) {
    let parsed: unknown;
    assertJsonDepth(byValue[0]!, 'credential_offer');
    try {
      parsed = JSON.parse(byValue[0]!);
    } catch (cause) {
      throw new Oid4vciClientError('OFFER_INVALID', 'credential_offer is not JSON', { cause });
    }
    return parseOfferObject(parsed);
  }
  const ref = assertIssuerUrl(byRef[0], 'credential_offer_uri');
  return parseOfferObject(await requestJson(ref, { headers: { accept: 'application/json' } }, 'credential offer', http));
}
