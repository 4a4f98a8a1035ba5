import type { Resolver } from 'did-resolver';
import { isCredentialFormat } from '../../core/vc/formats.js';
import { importCredential } from '../import.js';
import { isBuiltInVct, learnTypeProfiles, type LearnedProfiles } from '../profiles/learn.js';
import type { DidMethod, HolderKeyInfo } from '../keys.js';
import { readCredential, type StoredCredentialInfo } from '../store/credentials.js';
import type { Wallet } from '../wallet.js';
import { obtainAuthorizationCode, type AuthorizationStep } from './authorize.js';
import { DpopSession } from './dpop.js';
import { Oid4vciClientError } from './errors.js';
import { requestJson, type FetchLike, type HttpOptions } from './http.js';
import { fetchIssuerEndpoints, type IssuerEndpoints } from './metadata.js';
import { AUTHORIZATION_CODE_GRANT, PRE_AUTHORIZED_GRANT, resolveCredentialOffer, type CredentialOffer, type TxCodeSpec } from './offer.js';
import { createProofJwt } from './proof.js';
import { requestAccessToken, requestCredential } from './token.js';

/**
 * How acceptOffer runs OpenID4VCI: the tx_code (or a prompt for it), fetch, the configuration id, the batch size, and the authorization code flow's hooks.
 */
export type AcceptOfferOptions = {
  /** The transaction code, when the offer asks for one. */
  txCode?: string;
  /** Asked only when the offer has a tx_code and `txCode` is not given (the CLI prompts). */
  askTxCode?: (spec: TxCodeSpec) => Promise<string>;
  fetch?: FetchLike;
  /** Which offered configuration to request (default: the first offered one we can store). */
  credentialConfigurationId?: string;
  /**
   * Credentials to request in one batch, each bound to a fresh wallet key (unlinkable
   * presentations). Default 1: bound to the wallet's default key.
   */
  batch?: number;
  /** Key type of fresh batch keys. */
  newKeyMethod?: DidMethod;
  resolver?: Resolver;
  /**
   * Use the offer's authorization code grant (PAR, PKCE, DPoP; the resident authorizes in a
   * browser) even when it also offers a pre-authorized code. An offer with only that grant uses it anyway.
   */
  authorizationCode?: boolean;
  /** The browser step of the authorization code flow (redirect_uri and how the URL is shown). */
  authorization?: AuthorizationStep;
};

/** The credentials acceptOffer stored, from which issuer and configuration, through which grant. */
export type AcceptOfferResult = {
  credentialIssuer: string;
  credentialConfigurationId: string;
  credentials: StoredCredentialInfo[];
  /** The grant that was used. */
  grant: 'pre-authorized_code' | 'authorization_code';
  /** Profiles (named DCQL queries) of the credentials' registered types, learned from the issuer (`wallet present --profile NAME`). */
  profiles?: LearnedProfiles[];
};

function checkTxCode(code: string, spec: TxCodeSpec): string {
  const c = code.trim();
  if (c === '' || c.length > 64) throw new Oid4vciClientError('TX_CODE_INVALID', 'the transaction code is empty or too long');
  if (spec.input_mode === 'numeric' && !/^[0-9]+$/.test(c)) throw new Oid4vciClientError('TX_CODE_INVALID', 'the transaction code must be digits');
  if (spec.length !== undefined && c.length !== spec.length)
    throw new Oid4vciClientError('TX_CODE_INVALID', `the transaction code must have ${spec.length} characters`);
  return c;
}

function chooseConfiguration(offer: CredentialOffer, endpoints: IssuerEndpoints, wanted?: string): string {
  const candidates = offer.credential_configuration_ids.filter((id) => {
    const format = endpoints.configurations[id]?.format;
    return isCredentialFormat(format);
  });
  if (wanted !== undefined) {
    if (!candidates.includes(wanted)) throw new Oid4vciClientError('OFFER_INVALID', `the offer has no storable configuration ${wanted}`);
    return wanted;
  }
  if (!candidates[0]) throw new Oid4vciClientError('OFFER_INVALID', 'the offer has no configuration in a format the wallet stores (dc+sd-jwt, vc+sd-jwt)');
  return candidates[0];
}

async function nonceFrom(endpoints: IssuerEndpoints, http: { fetch?: FetchLike }): Promise<string> {
  if (!endpoints.nonceEndpoint) throw new Oid4vciClientError('ISSUER_METADATA_INVALID', 'the issuer has no nonce_endpoint');
  const body = (await requestJson(endpoints.nonceEndpoint, { method: 'POST', headers: { accept: 'application/json' } }, 'nonce request', http)) as {
    c_nonce?: unknown;
  };
  if (typeof body.c_nonce !== 'string' || body.c_nonce.length === 0)
    throw new Oid4vciClientError('ISSUER_METADATA_INVALID', 'the nonce endpoint returned no c_nonce');
  return body.c_nonce;
}

/** The token request's form for the offer's pre-authorized code (asking for the tx_code when it has one). */
async function preAuthorizedForm(offer: CredentialOffer, options: AcceptOfferOptions): Promise<URLSearchParams> {
  const form = new URLSearchParams({ grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': offer.preAuthorizedCode! });
  if (offer.txCode) {
    const given = options.txCode ?? (options.askTxCode ? await options.askTxCode(offer.txCode) : undefined);
    if (given === undefined) throw new Oid4vciClientError('TX_CODE_REQUIRED', 'the offer requires a transaction code (tx_code)');
    form.set('tx_code', checkTxCode(given, offer.txCode));
  }
  return form;
}

/** The token request's form after the resident authorized in the browser (authorization code with its PKCE verifier). */
async function authorizationCodeForm(
  offer: CredentialOffer,
  endpoints: IssuerEndpoints,
  configurationId: string,
  options: AcceptOfferOptions,
  dpop: DpopSession | undefined,
  http: HttpOptions,
): Promise<URLSearchParams> {
  if (!options.authorization)
    throw new Oid4vciClientError('AUTHORIZATION_REQUIRED', 'this offer needs the resident to authorize in a browser (authorization code flow)');
  const got = await obtainAuthorizationCode(offer, endpoints, endpoints.configurations[configurationId], options.authorization, dpop, http);
  return new URLSearchParams({
    grant_type: AUTHORIZATION_CODE_GRANT,
    code: got.code,
    code_verifier: got.codeVerifier,
    redirect_uri: got.redirectUri,
    client_id: got.clientId,
  });
}

/**
 * Runs the OpenID4VCI 1.0 flow for an offer and imports what the issuer sends (importCredential
 * checks the issuer signature and that cnf is one of our keys): offer -> issuer and AS metadata
 * -> token (pre-authorized code with tx_code, or the authorization code flow with PAR, PKCE and
 * the resident's authorization) -> c_nonce -> proof(s) -> credential(s). Where the authorization
 * server supports DPoP (ES256), the token is bound to a key made for this flow only and every
 * token and credential request carries a proof. The wallet must be unlocked: a proof is a use of
 * a private key.
 */
export async function acceptOffer(wallet: Wallet, offerUri: string, options: AcceptOfferOptions = {}): Promise<AcceptOfferResult> {
  wallet.requireKey();
  const http = { fetch: options.fetch };
  const offer = await resolveCredentialOffer(offerUri, http);
  const endpoints = await fetchIssuerEndpoints(offer.credential_issuer, http);
  const configurationId = chooseConfiguration(offer, endpoints, options.credentialConfigurationId);
  const batch = options.batch ?? 1;
  if (!Number.isSafeInteger(batch) || batch < 1 || batch > endpoints.batchSize) {
    throw new Oid4vciClientError('INVALID_INPUT', `batch must be between 1 and the issuer's batch_size ${endpoints.batchSize}`);
  }

  const useCode = offer.authorizationCode !== undefined && (options.authorizationCode === true || offer.preAuthorizedCode === undefined);
  if (options.authorizationCode && !offer.authorizationCode) throw new Oid4vciClientError('OFFER_INVALID', 'the offer has no authorization code grant');
  const dpop = endpoints.dpopAlgs.includes('ES256') ? new DpopSession() : undefined;
  const form = useCode ? await authorizationCodeForm(offer, endpoints, configurationId, options, dpop, http) : await preAuthorizedForm(offer, options);
  const token = await requestAccessToken(endpoints, form, dpop, http);

  const keys: HolderKeyInfo[] = batch === 1 ? [await wallet.defaultKey()] : [];
  for (let i = keys.length; i < batch; i++) keys.push(await wallet.createKey(options.newKeyMethod ?? 'jwk', 'ES256'));

  let response: { credentials?: unknown; netcred_lite_credentials?: unknown } | undefined;
  for (let attempt = 0; response === undefined; attempt++) {
    const nonce = await nonceFrom(endpoints, http);
    const jwts = await Promise.all(keys.map((k) => createProofJwt(wallet, k, offer.credential_issuer, nonce)));
    try {
      // netcred_lite: netcred's issuer adds each credential's lite companion (another issuer ignores it).
      response = (await requestCredential(
        endpoints,
        token,
        { credential_configuration_id: configurationId, proofs: { jwt: jwts }, netcred_lite: true },
        dpop,
        http,
      )) as {
        credentials?: unknown;
      };
    } catch (err) {
      // A nonce can go stale between the two requests: the spec says to fetch a fresh one and retry.
      if (attempt === 0 && err instanceof Oid4vciClientError && err.error === 'invalid_nonce') continue;
      throw err;
    }
  }

  const list = response.credentials;
  if (!Array.isArray(list) || list.length !== keys.length)
    throw new Oid4vciClientError('OID4VCI_HTTP_ERROR', `expected ${keys.length} credential(s) in the response`);
  const credentials: StoredCredentialInfo[] = [];
  for (const item of list) {
    const credential = (item as { credential?: unknown } | null)?.credential;
    if (typeof credential !== 'string') throw new Oid4vciClientError('OID4VCI_HTTP_ERROR', 'a credential in the response is not a string');
    credentials.push(await importCredential(wallet, credential, options.resolver ? { resolver: options.resolver } : {}));
  }
  if (await importLiteCompanions(wallet, response.netcred_lite_credentials, options.resolver)) {
    for (const [i, c] of credentials.entries()) credentials[i] = (await readCredential(wallet, c.id)).info;
  }
  const profiles = await learnProfilesOf(wallet, offer.credential_issuer, credentials, options.fetch);
  return {
    credentialIssuer: offer.credential_issuer,
    credentialConfigurationId: configurationId,
    credentials,
    grant: useCode ? 'authorization_code' : 'pre-authorized_code',
    ...(profiles.length ? { profiles } : {}),
  };
}

/**
 * A registered type's profiles come from its issuer's discovery (netcred's, beside its
 * credential issuer metadata). Best effort: the credentials are stored already, and an issuer
 * that serves no discovery, or a bad profile, only means none is learned (`wallet sync` tries again).
 */
async function learnProfilesOf(wallet: Wallet, base: string, credentials: StoredCredentialInfo[], fetch: FetchLike | undefined): Promise<LearnedProfiles[]> {
  const registered = credentials.filter((c) => c.vct !== undefined && !isBuiltInVct(c.vct));
  if (registered.length === 0) return [];
  const iss = registered[0]!.iss;
  const vcts = [...new Set(registered.filter((c) => c.iss === iss).map((c) => c.vct!))];
  return learnTypeProfiles(wallet, base, iss, vcts, fetch ? { fetch } : {}).catch(() => []);
}

/**
 * netcred's issuer adds the lite companion of each credential (`netcred_lite_credentials`, an
 * additional Credential Response parameter): each is checked like any credential and filed
 * under the credential it accompanies (importCredential). One that does not import is left
 * out: the wallet then presents the credential itself for lite.
 */
async function importLiteCompanions(wallet: Wallet, list: unknown, resolver: AcceptOfferOptions['resolver']): Promise<number> {
  if (!Array.isArray(list)) return 0;
  let filed = 0;
  for (const item of list.slice(0, 64)) {
    const credential = (item as { credential?: unknown } | null)?.credential;
    if (typeof credential !== 'string') continue;
    if ((await importCredential(wallet, credential, resolver ? { resolver } : {}).catch(() => undefined))?.companion !== undefined) filed++;
  }
  return filed;
}
