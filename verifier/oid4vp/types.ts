import type { DcqlQuery, ProfileName } from '../../schemas/profiles/index.js';
import type { ResponseKey } from './response-key.js';

/** Client Identifier Prefixes this verifier can speak (OpenID4VP 1.0 section 5.9.3). */
export type ClientIdPrefix = 'redirect_uri' | 'decentralized_identifier' | 'x509_san_dns' | 'x509_hash';

/** How the wallet posts its answer: a form (`direct_post`), or the same encrypted to our key (`direct_post.jwt`, section 8.3.1). */
export type ResponseMode = 'direct_post' | 'direct_post.jwt';

/** How the wallet fetches the request object at request_uri (section 5.10): GET, or POST with its metadata and a nonce. */
export type RequestUriMethod = 'get' | 'post';

/** The parameters of an OpenID4VP 1.0 authorization request as the wallet receives them. */
export type AuthorizationRequestPayload = {
  response_type: 'vp_token';
  response_mode: ResponseMode;
  client_id: string;
  response_uri: string;
  nonce: string;
  state: string;
  dcql_query: DcqlQuery;
  /** vp_formats_supported; with direct_post.jwt also jwks and encrypted_response_enc_values_supported. */
  client_metadata: { vp_formats_supported: Record<string, Record<string, unknown>>; [member: string]: unknown };
  /** The wallet's nonce, in a request object fetched by POST (section 5.10). */
  wallet_nonce?: string;
  /** JAR claims (RFC 9101): seconds since the epoch. */
  iat: number;
  exp: number;
  aud?: string;
  iss?: string;
};

/** A request the verifier created and keeps until it expires or is answered. */
export type PendingRequest = {
  id: string;
  state: string;
  nonce: string;
  clientId: string;
  clientIdPrefix: ClientIdPrefix;
  /** direct_post unless the request asked for an encrypted answer. */
  responseMode?: ResponseMode;
  /** direct_post.jwt: the ephemeral key the answer is encrypted to (its kid is the request id). */
  responseKey?: ResponseKey;
  /** `post`: the URI says request_uri_method=post; GET works too. */
  requestUriMethod?: RequestUriMethod;
  responseUri: string;
  requestUri: string;
  /** `openid4vp://?client_id=...&request_uri=...` */
  uri: string;
  /**
   * redirect_uri requests only: the whole request in the URI (section 5.1), for wallets that
   * refuse an unsigned request object by reference. A larger QR code; the same state and nonce.
   */
  uriByValue?: string;
  dcql: DcqlQuery;
  profile?: ProfileName;
  /**
   * A registered type's profile by name: `dcql` is its query, and the answer's credential must
   * come from one of `issuers`, those whose trust bundle entry defines it (handle-response.ts).
   */
  typeProfile?: { name: string; issuers: string[] };
  /** The request object served at request_uri: a JWT (unsigned for redirect_uri, a JAR signed by the DID or the x509 leaf). */
  requestObject: string;
  payload: AuthorizationRequestPayload;
  /** Milliseconds since the epoch. */
  createdAt: number;
  expiresAt: number;
};

/** What one presented credential proved, as recorded in a verdict. */
export type VerifiedCredential = {
  credentialQueryId: string;
  issuer?: string;
  vct?: string;
  claims: Record<string, unknown>;
  status?: unknown;
};

export type VerdictStatus = 'pending' | 'valid' | 'invalid' | 'expired';

/** The kiosk's view of a request: pending until a response arrives, then valid or invalid (final). */
export type Verdict = {
  id: string;
  state: string;
  status: VerdictStatus;
  /** `lite`, `upgraded`, or the name of a registered type's profile the request asked for. */
  profile?: ProfileName | (string & {});
  code?: string;
  message?: string;
  credentials?: VerifiedCredential[];
  /** Milliseconds since the epoch. */
  expiresAt: number;
  respondedAt?: number;
};
