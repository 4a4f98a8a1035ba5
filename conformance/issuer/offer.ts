import { InvalidInputError } from '../../core/index.js';

export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

export type PreAuthorizedOffer = { credentialIssuer: string; configurationId: string; code: string; txCodeRequired: boolean };

/** Reads an `openid-credential-offer://?credential_offer=...` URI with a pre-authorized code (OpenID4VCI section 4.1). */
export function parseOffer(uri: string): PreAuthorizedOffer {
  let offer: Record<string, unknown>;
  try {
    const raw = new URL(uri).searchParams.get('credential_offer');
    if (raw === null) throw new Error('no credential_offer parameter (credential_offer_uri is not supported)');
    offer = JSON.parse(raw) as Record<string, unknown>;
  } catch (cause) {
    throw new InvalidInputError(`--offer is not a credential offer URI with credential_offer: ${(cause as Error).message}`, undefined, cause);
  }
  const grant = (offer.grants as Record<string, Record<string, unknown>> | undefined)?.[PRE_AUTHORIZED_GRANT];
  const ids = offer.credential_configuration_ids;
  if (
    typeof offer.credential_issuer !== 'string' ||
    !Array.isArray(ids) ||
    typeof ids[0] !== 'string' ||
    !grant ||
    typeof grant['pre-authorized_code'] !== 'string'
  ) {
    throw new InvalidInputError('--offer must carry credential_issuer, credential_configuration_ids and a pre-authorized_code grant');
  }
  return {
    credentialIssuer: offer.credential_issuer,
    configurationId: ids[0],
    code: grant['pre-authorized_code'],
    txCodeRequired: grant.tx_code !== undefined,
  };
}
