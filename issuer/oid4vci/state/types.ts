import { NetcredError } from '../../../core/errors.js';

/** What GET /health says of the issuer's short-lived OpenID4VCI state. */
export type Oid4vciStateHealth = { backend: 'database'; status: 'ok' } | { backend: 'redis'; status: 'ok' | 'unavailable'; prefix: string; since?: string };

/** An access token of the pre-authorized code grant, as the shared state keeps it. */
export type SharedAccessToken = { offerId: string; expiresAt: number; dpopJkt: string | null };

/**
 * The issuer's short-lived OpenID4VCI state. Two implementations:
 * - `database` (database.ts, the default): the tables of the issuer store (oid4vci_offer's
 *   state and tx_failures, oid4vci_access_token, oid4vci_nonce, oid4vci_jti), written in the
 *   transactions of token.ts and credential.ts (the credential request's in its group commit);
 *   every issuer process on the same store shares them.
 * - `redis` (redis.ts, `issuer serve --cache`): the same single-use facts as atomic Redis
 *   commands (SET NX PX, INCR with expiry, a Lua check-and-set), shared by every node on that
 *   Redis, so none of them is a write to the store.
 * Either way, a fact it cannot check is never assumed: Redis down is CACHE_UNAVAILABLE (503).
 */
export interface Oid4vciState {
  readonly backend: 'database' | 'redis';
  /** A DPoP proof's or attestation PoP's id (hashed), until `expiresAt` (epoch s): true the first time only. */
  recordJti(jtiHash: string, expiresAt: number): Promise<boolean>;
  health(): Promise<Oid4vciStateHealth>;
  close(): Promise<void>;
}

/**
 * The Redis state adds what the database keeps in rows of the offer and token tables. Times in
 * epoch seconds; every key expires on its own (never longer than what it guards).
 */
export interface SharedOid4vciState extends Oid4vciState {
  readonly backend: 'redis';
  /**
   * Counts one tx_code attempt on a pre-authorized code (INCR, expiring with the offer) unless
   * the code was redeemed: the attempt's number (1, 2, ...), or 0 when the code is redeemed.
   */
  countTxAttempt(codeHash: string, offerExpiresAt: number): Promise<number>;
  /** Single use of a pre-authorized code (SET NX, expiring with the offer): true the first time only. */
  redeemCode(codeHash: string, offerExpiresAt: number): Promise<boolean>;
  saveAccessToken(tokenHash: string, token: SharedAccessToken): Promise<void>;
  /** The token, and whether a credential request spent it already. */
  findAccessToken(tokenHash: string): Promise<(SharedAccessToken & { used: boolean }) | undefined>;
  /** Single use of an access token (SET NX on its `used` key): true the first time only. */
  consumeAccessToken(tokenHash: string, expiresAt: number): Promise<boolean>;
  /** Single use of a c_nonce (SET NX until it expires): true the first time only. */
  spendNonce(nonceHash: string, expiresAt: number): Promise<boolean>;
  /**
   * Undoes consumeAccessToken and spendNonce after the issuance they were spent for failed
   * (nothing was issued): the wallet may retry, as it may when the database rolls back.
   */
  unspend(keys: { tokenHash?: string; nonceHashes: string[] }): Promise<void>;
}

/** Seconds a client waits before retrying while the shared cache is down. */
export const CACHE_RETRY_AFTER_SECONDS = 2;

/**
 * The issuer cannot reach its shared cache: nothing was checked or spent, and no code, token
 * or nonce is accepted. HTTP 503 with Retry-After, in OAuth error format.
 */
export class IssuerCacheUnavailableError extends NetcredError {
  readonly retryAfterSeconds = CACHE_RETRY_AFTER_SECONDS;
  constructor(options: { cause?: unknown } = {}) {
    super(
      'CACHE_UNAVAILABLE',
      'the issuer cannot reach its shared cache (Redis) to check single-use codes, tokens and nonces; nothing was accepted, try again shortly',
      options,
    );
  }
}
