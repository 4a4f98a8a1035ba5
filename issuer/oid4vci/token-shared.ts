import type { IssuerContext } from '../context.js';
import { OID4VCI_LIMITS } from './config.js';
import { TX_CODE_KEY_PURPOSE } from './enroll.js';
import { Oid4vciError } from './errors.js';
import { constantTimeEqual, randomSecret, secretHash, txCodeMac } from './secrets.js';
import type { SharedOid4vciState } from './state/index.js';
import { burnOffer, findOfferByCodeHash, nowSeconds, standalone } from './store.js';
import { CLOSED, wrongTxCode, type TokenResponse } from './token-answers.js';

/**
 * The pre-authorized code grant with the shared state (issuer serve --cache): the offer is read
 * from the store (its claims and tx_code MAC live there), everything single-use is Redis's. A
 * tx_code attempt is counted (INCR) before the guess is compared, so across every node no more
 * than 5 are ever compared and each is told the tries left; the fifth wrong one burns the offer
 * in the store too (its claims erased). The code's single use is a SET NX; the token is stored
 * in Redis. Nothing here writes to the store except that burn.
 */
export async function exchangeWithSharedState(
  ctx: IssuerContext,
  shared: SharedOid4vciState,
  req: { codeHash: string; txCode: string | undefined; dpopJkt: string | undefined },
): Promise<TokenResponse> {
  const now = nowSeconds();
  const max = OID4VCI_LIMITS.txCodeMaxTries;
  const db = standalone(ctx.dataSource);
  const row = await findOfferByCodeHash(db, req.codeHash);
  if (!row) throw new Oid4vciError('invalid_grant', 'the pre-authorized code is unknown or has expired');
  if (row.state !== 'pending' || row.expires_at <= now || row.tx_failures >= max) throw new Oid4vciError('invalid_grant', CLOSED);
  if (row.tx_code_mac === null) {
    if (req.txCode !== undefined) throw new Oid4vciError('invalid_request', 'this offer has no tx_code, but one was sent');
  } else {
    if (req.txCode === undefined || req.txCode === '') throw new Oid4vciError('invalid_request', 'this offer requires a tx_code');
    const attempt = await shared.countTxAttempt(req.codeHash, row.expires_at);
    if (attempt === 0 || attempt > max) throw new Oid4vciError('invalid_grant', CLOSED);
    if (!constantTimeEqual(txCodeMac(ctx.deriveKey(TX_CODE_KEY_PURPOSE), row.id, req.txCode), row.tx_code_mac)) {
      if (attempt === max) await burnOffer(db, row.id, max);
      throw wrongTxCode(max - attempt);
    }
  }
  if (!(await shared.redeemCode(req.codeHash, row.expires_at))) throw new Oid4vciError('invalid_grant', CLOSED);
  const accessToken = randomSecret();
  const until = now + OID4VCI_LIMITS.accessTokenTtl;
  await shared.saveAccessToken(secretHash(accessToken), { offerId: row.id, expiresAt: until, dpopJkt: req.dpopJkt ?? null });
  return { access_token: accessToken, token_type: req.dpopJkt ? 'DPoP' : 'Bearer', expires_in: OID4VCI_LIMITS.accessTokenTtl };
}
