import type { DcqlQuery, ProfileName } from '../../schemas/profiles/index.js';

/** Client Identifier Prefixes this verifier can speak (OpenID4VP 1.0 section 5.9.3). */
export type ClientIdPrefix = 'redirect_uri' | 'decentralized_identifier';

/** The parameters of an OpenID4VP 1.0 authorization request as the wallet receives them. */
export type AuthorizationRequestPayload = {
  response_type: 'vp_token';
  response_mode: 'direct_post';
  client_id: string;
  response_uri: string;
  nonce: string;
  state: string;
  dcql_query: DcqlQuery;
  client_metadata: { vp_formats_supported: Record<string, Record<string, unknown>> };
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
  /** The request object served at request_uri: a JWT (unsigned for redirect_uri, signed JAR for a DID). */
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
  profile?: ProfileName;
  code?: string;
  message?: string;
  credentials?: VerifiedCredential[];
  /** Milliseconds since the epoch. */
  expiresAt: number;
  respondedAt?: number;
};
