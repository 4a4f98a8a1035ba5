/** Lifetimes and bounds of the OpenID4VCI flow (seconds unless named otherwise). */
export const OID4VCI_LIMITS = {
  /** Pre-authorized code: the resident scans the QR at the enrollment point. */
  offerTtl: 600,
  accessTokenTtl: 300,
  nonceTtl: 300,
  /** A proof's iat may be this old (it must also carry a live c_nonce) ... */
  proofMaxAge: 300,
  /** ... give or take this clock difference, either way (core/jose/claims.ts). */
  proofMaxSkew: 60,
  /** Wrong tx_codes before the pre-authorized code is burned. */
  txCodeMaxTries: 5,
  txCodeLength: 6,
  /** Proofs (and so credentials, one per key) in one credential request. */
  batchSize: 10,
  /** Bytes of a single proof JWT. */
  maxProofBytes: 8 * 1024,
} as const;

/** Routes under the credential issuer identifier (ctx.config.publicUrl). */
export const OID4VCI_PATHS = {
  token: '/oid4vci/token',
  nonce: '/oid4vci/nonce',
  credential: '/oid4vci/credential',
  offers: '/oid4vci/offers',
  enrollments: '/admin/enrollments',
} as const;

export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
export const PROOF_JWT_TYP = 'openid4vci-proof+jwt';

/** The issuer identifier without a trailing slash: endpoints are built by appending a path. */
export function issuerIdentifier(publicUrl: string): string {
  return publicUrl.replace(/\/+$/, '');
}

/** RFC 8414 / OpenID4VCI well-known URL path: the well-known segment goes before the issuer's path. */
export function wellKnownPath(publicUrl: string, name: 'openid-credential-issuer' | 'oauth-authorization-server'): string {
  const path = new URL(issuerIdentifier(publicUrl)).pathname.replace(/\/+$/, '');
  return `/.well-known/${name}${path}`;
}

/** Path of an endpoint relative to the app root, when the issuer lives under a path prefix. */
export function routePath(publicUrl: string, path: string): string {
  const prefix = new URL(issuerIdentifier(publicUrl)).pathname.replace(/\/+$/, '');
  return `${prefix}${path}`;
}
