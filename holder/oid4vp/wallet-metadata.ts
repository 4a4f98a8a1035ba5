import { JWE_ALG, JWE_ENCS } from '../../core/jose/jwe.js';
import { SUPPORTED_ALGS } from '../../core/jose/alg.js';

/** The client id prefixes this wallet answers (OpenID4VP 1.0 section 10.1 names). */
export const CLIENT_ID_PREFIXES_SUPPORTED = ['redirect_uri', 'decentralized_identifier', 'x509_san_dns', 'x509_hash'] as const;

/**
 * What this wallet tells a verifier when it fetches a request object by POST (`wallet_metadata`,
 * OpenID4VP 1.0 sections 5.10 and 10): the formats and algorithms it presents with, the client id
 * prefixes and response encryption it supports, and (only where the prefix allows a signed
 * request object) the algorithms it verifies request objects with.
 */
export function walletMetadataFor(clientIdPrefix: string): Record<string, unknown> {
  const algs = { 'sd-jwt_alg_values': [...SUPPORTED_ALGS], 'kb-jwt_alg_values': [...SUPPORTED_ALGS] };
  return {
    vp_formats_supported: { 'dc+sd-jwt': algs, 'vc+sd-jwt': algs },
    client_id_prefixes_supported: [...CLIENT_ID_PREFIXES_SUPPORTED],
    response_types_supported: ['vp_token'],
    response_modes_supported: ['direct_post', 'direct_post.jwt'],
    authorization_encryption_alg_values_supported: [JWE_ALG],
    authorization_encryption_enc_values_supported: [...JWE_ENCS],
    ...(clientIdPrefix === 'redirect_uri' ? {} : { request_object_signing_alg_values_supported: [...SUPPORTED_ALGS] }),
  };
}
