import type { IssuerContext } from '../context.js';
import { OID4VCI_LIMITS, PRE_AUTHORIZED_GRANT } from './config.js';
import { TX_CODE_KEY_PURPOSE } from './enroll.js';
import { Oid4vciError } from './errors.js';
import { constantTimeEqual, randomSecret, secretHash, txCodeMac } from './secrets.js';
import { findOfferByCodeHash, insertAccessToken, nowSeconds, recordTxFailure, redeemOffer, standalone, sweepExpired, transaction } from './store.js';

export type TokenResponse = { access_token: string; token_type: 'Bearer'; expires_in: number };

/** A form parameter sent once, as a string (RFC 6749 section 3.2: no repeated parameters). */
function param(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new Oid4vciError('invalid_request', `${name} must be sent once, as a string`);
  return v;
}

/**
 * Token endpoint for the pre-authorized code grant (OpenID4VCI 1.0 section 6). The code is
 * single use: a wrong tx_code counts against it (burned after 5), a right one redeems it
 * atomically, so two racing requests cannot both get a token.
 */
export async function exchangePreAuthorizedCode(ctx: IssuerContext, body: Record<string, unknown>): Promise<TokenResponse> {
  const grantType = param(body, 'grant_type');
  if (grantType === undefined) throw new Oid4vciError('invalid_request', 'grant_type is missing');
  if (grantType !== PRE_AUTHORIZED_GRANT) throw new Oid4vciError('unsupported_grant_type', `only ${PRE_AUTHORIZED_GRANT} is supported`);
  const code = param(body, 'pre-authorized_code');
  if (!code) throw new Oid4vciError('invalid_request', 'pre-authorized_code is missing');
  const txCode = param(body, 'tx_code');
  if (code.length > 512 || (txCode !== undefined && txCode.length > 64)) throw new Oid4vciError('invalid_request', 'parameter too long');

  const now = nowSeconds();
  await sweepExpired(ctx.dataSource, now);
  const db = standalone(ctx.dataSource);
  const offer = await findOfferByCodeHash(db, secretHash(code));
  if (!offer) throw new Oid4vciError('invalid_grant', 'the pre-authorized code is unknown or has expired');
  if (offer.state !== 'pending' || offer.expires_at <= now) throw new Oid4vciError('invalid_grant', 'the pre-authorized code was already used, burned or has expired');

  if (offer.tx_code_mac === null) {
    if (txCode !== undefined) throw new Oid4vciError('invalid_request', 'this offer has no tx_code, but one was sent');
  } else {
    if (txCode === undefined || txCode === '') throw new Oid4vciError('invalid_request', 'this offer requires a tx_code');
    const expected = txCodeMac(ctx.deriveKey(TX_CODE_KEY_PURPOSE), offer.id, txCode);
    if (!constantTimeEqual(expected, offer.tx_code_mac)) {
      await recordTxFailure(db, offer.id, OID4VCI_LIMITS.txCodeMaxTries);
      const left = OID4VCI_LIMITS.txCodeMaxTries - offer.tx_failures - 1;
      throw new Oid4vciError('invalid_grant', left > 0 ? `wrong tx_code (${left} tries left)` : 'wrong tx_code; the pre-authorized code is now burned');
    }
  }

  const until = now + OID4VCI_LIMITS.accessTokenTtl;
  const accessToken = randomSecret();
  await transaction(ctx.dataSource, async (sql) => {
    if (!(await redeemOffer(sql, offer.id, now, until))) throw new Oid4vciError('invalid_grant', 'the pre-authorized code was already used, burned or has expired');
    await insertAccessToken(sql, { token_hash: secretHash(accessToken), offer_id: offer.id, created_at: now, expires_at: until });
  });
  return { access_token: accessToken, token_type: 'Bearer', expires_in: OID4VCI_LIMITS.accessTokenTtl };
}
