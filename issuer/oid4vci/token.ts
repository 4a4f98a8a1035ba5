import type { IssuerContext } from '../context.js';
import { OID4VCI_LIMITS, PRE_AUTHORIZED_GRANT } from './config.js';
import { TX_CODE_KEY_PURPOSE } from './enroll.js';
import { Oid4vciError } from './errors.js';
import { inOfferLane } from './offer-lane.js';
import { constantTimeEqual, randomSecret, secretHash, txCodeMac } from './secrets.js';
import { redeemWithoutTxCode } from './redeem-batch.js';
import { sharedStateOf } from './state/index.js';
import { CLOSED, wrongTxCode, type TokenResponse } from './token-answers.js';
import { exchangeWithSharedState } from './token-shared.js';
import { findOfferByCodeHash, insertAccessToken, nowSeconds, recordTxFailure, redeemOffer, sweepExpired, transaction } from './store.js';

export type { TokenResponse } from './token-answers.js';

/** A form parameter sent once, as a string (RFC 6749 section 3.2: no repeated parameters). */
function param(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new Oid4vciError('invalid_request', `${name} must be sent once, as a string`);
  return v;
}

type Outcome =
  | { kind: 'token'; accessToken: string }
  | { kind: 'wrong'; left: number }
  | { kind: 'closed' }
  | { kind: 'unknown' }
  | { kind: 'invalid'; description: string };

/**
 * Token endpoint for the pre-authorized code grant (OpenID4VCI 1.0 section 6). The code is
 * single use: a wrong tx_code counts against it (burned after 5), a right one redeems it
 * atomically, so two racing requests cannot both get a token.
 *
 * The requests for one code are checked one at a time (inOfferLane), each in one write
 * transaction that reads the offer, compares the tx_code and counts a failure or redeems: no
 * more than 5 wrong codes are ever compared, even from several processes, each is told the
 * exact tries left, and once the offer is burned every request gets the same CLOSED answer.
 * Nothing is read outside that transaction. A code sent
 * without tx_code first tries the batched redemption (redeem-batch.ts, guarded in SQL); when
 * that writes nothing, the lane gives the exact answer.
 */
export async function exchangePreAuthorizedCode(ctx: IssuerContext, body: Record<string, unknown>, options: { dpopJkt?: string } = {}): Promise<TokenResponse> {
  const grantType = param(body, 'grant_type');
  if (grantType === undefined) throw new Oid4vciError('invalid_request', 'grant_type is missing');
  if (grantType !== PRE_AUTHORIZED_GRANT) throw new Oid4vciError('unsupported_grant_type', `only ${PRE_AUTHORIZED_GRANT} is supported`);
  const code = param(body, 'pre-authorized_code');
  if (!code) throw new Oid4vciError('invalid_request', 'pre-authorized_code is missing');
  const txCode = param(body, 'tx_code');
  if (code.length > 512 || (txCode !== undefined && txCode.length > 64)) throw new Oid4vciError('invalid_request', 'parameter too long');

  await sweepExpired(ctx.dataSource, nowSeconds());
  const codeHash = secretHash(code);
  const max = OID4VCI_LIMITS.txCodeMaxTries;
  const shared = sharedStateOf(ctx);
  if (shared) return exchangeWithSharedState(ctx, shared, { codeHash, txCode, dpopJkt: options.dpopJkt });

  // The common case, a code sent without tx_code: redeemed in a group commit (redeem-batch.ts)
  // if its offer is pending without tx_code, the SQL guard deciding. Anything else (a tx_code,
  // an unknown or closed offer) gets its exact answer through the lane below.
  if (txCode === undefined) {
    const now = nowSeconds();
    const accessToken = randomSecret();
    const redemption = { codeHash, now, until: now + OID4VCI_LIMITS.accessTokenTtl, tokenHash: secretHash(accessToken), dpopJkt: options.dpopJkt ?? null };
    if (await redeemWithoutTxCode(ctx.dataSource, redemption)) {
      return { access_token: accessToken, token_type: options.dpopJkt ? 'DPoP' : 'Bearer', expires_in: OID4VCI_LIMITS.accessTokenTtl };
    }
  }

  const outcome = await inOfferLane(ctx.dataSource, codeHash, async (lane): Promise<Outcome> => {
    // An earlier request in this lane saw the offer leave pending, and it never comes back.
    if (lane.settled) return { kind: 'closed' };
    const result = await transaction(ctx.dataSource, async (sql): Promise<Outcome> => {
      // Read under the write lock: no other request or process changes the row until commit.
      const now = nowSeconds();
      const row = await findOfferByCodeHash(sql, codeHash);
      if (!row) return { kind: 'unknown' };
      if (row.state !== 'pending' || row.expires_at <= now || row.tx_failures >= max) return { kind: 'closed' };
      if (row.tx_code_mac === null) {
        if (txCode !== undefined) return { kind: 'invalid', description: 'this offer has no tx_code, but one was sent' };
      } else {
        if (txCode === undefined || txCode === '') return { kind: 'invalid', description: 'this offer requires a tx_code' };
        // The guess is compared only here, so no more than `max` wrong ones ever are.
        if (!constantTimeEqual(txCodeMac(ctx.deriveKey(TX_CODE_KEY_PURPOSE), row.id, txCode), row.tx_code_mac)) {
          const failures = await recordTxFailure(sql, row.id, max);
          return failures === undefined ? { kind: 'closed' } : { kind: 'wrong', left: max - failures };
        }
      }
      const until = now + OID4VCI_LIMITS.accessTokenTtl;
      const accessToken = randomSecret();
      if (!(await redeemOffer(sql, row.id, now, until))) return { kind: 'closed' };
      await insertAccessToken(sql, {
        token_hash: secretHash(accessToken),
        offer_id: row.id,
        created_at: now,
        expires_at: until,
        dpop_jkt: options.dpopJkt ?? null,
      });
      return { kind: 'token', accessToken };
    });
    if (result.kind === 'closed' || result.kind === 'token' || (result.kind === 'wrong' && result.left <= 0)) lane.settle();
    return result;
  });

  switch (outcome.kind) {
    case 'token':
      return { access_token: outcome.accessToken, token_type: options.dpopJkt ? 'DPoP' : 'Bearer', expires_in: OID4VCI_LIMITS.accessTokenTtl };
    case 'wrong':
      throw wrongTxCode(outcome.left);
    case 'invalid':
      throw new Oid4vciError('invalid_request', outcome.description);
    case 'unknown':
      throw new Oid4vciError('invalid_grant', 'the pre-authorized code is unknown or has expired');
    case 'closed':
      throw new Oid4vciError('invalid_grant', CLOSED);
  }
}
