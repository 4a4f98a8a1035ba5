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
  /** A pushed authorization request's request_uri: the wallet opens it in the browser at once. */
  requestUriTtl: 120,
  /** From opening the authorization page to the decision at the enrollment point. */
  authorizationTtl: 600,
  /** An authorization code, from the redirect to the token request (single use). */
  codeTtl: 120,
  /** A DPoP proof's iat may be this old, give or take proofMaxSkew; its jti is remembered as long. */
  dpopMaxAge: 300,
  /** A server DPoP nonce is accepted this long after it was handed out. */
  dpopNonceTtl: 300,
  /** A client attestation PoP's iat may be this old, give or take proofMaxSkew. */
  attestationPopMaxAge: 300,
} as const;

/** Routes under the credential issuer identifier (ctx.config.publicUrl). */
export const OID4VCI_PATHS = {
  token: '/oid4vci/token',
  nonce: '/oid4vci/nonce',
  credential: '/oid4vci/credential',
  offers: '/oid4vci/offers',
  enrollments: '/admin/enrollments',
  /** RFC 9126 pushed authorization request endpoint. */
  par: '/oid4vci/par',
  /** Authorization endpoint; `/oid4vci/authorize/{id}` is the page that waits for the approval. */
  authorize: '/oid4vci/authorize',
  /** Admin: `POST /admin/authorizations/{id}/approve` (or `/deny`). */
  authorizations: '/admin/authorizations',
} as const;

export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
export const AUTHORIZATION_CODE_GRANT = 'authorization_code';
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
