import { pkceMatches } from '../../core/oauth/pkce.js';
import type { IssuerContext } from '../context.js';
import { checkRedirectUri, formParam } from './authorization-request.js';
import { findAuthorizationByCode, noteCodeReuse, redeemAuthorizationCode } from './authorization-store.js';
import type { ClientIdentity } from './client-auth.js';
import { OID4VCI_LIMITS } from './config.js';
import { Oid4vciError } from './errors.js';
import { randomSecret, secretHash } from './secrets.js';
import { insertAccessToken, nowSeconds, redeemAuthorizedOffer, revokeAccessTokensOf, sweepExpired, transaction } from './store.js';
import type { TokenResponse } from './token.js';

type Outcome = { kind: 'token'; accessToken: string } | { kind: 'reused'; revoked: number } | { kind: 'refused'; error: Oid4vciError };

/**
 * Token endpoint, `authorization_code` grant (RFC 6749 4.1.3, RFC 7636 4.5, RFC 9449 10): the
 * code (single use, 120 s) must have been issued to this client for this redirect_uri, the
 * code_verifier must hash to its PKCE challenge, and a code bound to a DPoP key (a proof at PAR,
 * or dpop_jkt) needs a proof by that key now. A code used a second time is refused and every
 * token issued from it revoked (RFC 6749 4.1.2, 10.5), in the same transaction.
 */
export async function exchangeAuthorizationCode(
  ctx: IssuerContext,
  body: Record<string, unknown>,
  options: { dpopJkt?: string; client: ClientIdentity },
): Promise<TokenResponse> {
  const code = formParam(body, 'code', 512);
  if (!code) throw new Oid4vciError('invalid_request', 'code is missing');
  const verifier = formParam(body, 'code_verifier', 256);
  if (verifier === undefined) throw new Oid4vciError('invalid_request', 'PKCE is required: code_verifier is missing');
  const redirectUri = formParam(body, 'redirect_uri');
  if (redirectUri !== undefined) checkRedirectUri(redirectUri);
  const clientId = options.client.clientId;
  if (clientId === undefined) throw new Oid4vciError('invalid_request', 'client_id is required');

  await sweepExpired(ctx.dataSource, nowSeconds());
  const codeHash = secretHash(code);
  const outcome = await transaction(ctx.dataSource, async (sql): Promise<Outcome> => {
    const now = nowSeconds();
    const row = await findAuthorizationByCode(sql, codeHash);
    const refused = (error: Oid4vciError): Outcome => ({ kind: 'refused', error });
    if (!row) return refused(new Oid4vciError('invalid_grant', 'the authorization code is unknown or has expired'));
    if (row.status === 'redeemed') {
      await noteCodeReuse(sql, row.id, now);
      return { kind: 'reused', revoked: await revokeAccessTokensOf(sql, row.id, now) };
    }
    if (row.status !== 'code_issued' || row.code_expires_at === null || row.code_expires_at <= now)
      return refused(new Oid4vciError('invalid_grant', 'the authorization code has expired'));
    if (row.client_id !== clientId) return refused(new Oid4vciError('invalid_grant', 'the authorization code was issued to another client'));
    if (redirectUri !== row.redirect_uri) return refused(new Oid4vciError('invalid_grant', 'redirect_uri is not the one of the authorization request'));
    if (!pkceMatches(verifier, row.code_challenge))
      return refused(new Oid4vciError('invalid_grant', 'the code_verifier does not match the code_challenge (PKCE)'));
    if (row.dpop_jkt !== null && row.dpop_jkt !== options.dpopJkt) {
      return refused(new Oid4vciError('invalid_dpop_proof', 'the authorization code is bound to a DPoP key: send a DPoP proof by that key'));
    }
    if (row.offer_id === null || !(await redeemAuthorizationCode(sql, row.id, now)))
      return refused(new Oid4vciError('invalid_grant', 'the authorization code has expired'));
    const until = now + OID4VCI_LIMITS.accessTokenTtl;
    if (!(await redeemAuthorizedOffer(sql, row.offer_id, now, until))) {
      // The enrollment expired meanwhile: nothing to issue. The code stays spent.
      return refused(new Oid4vciError('invalid_grant', 'the enrollment of this authorization has expired'));
    }
    const accessToken = randomSecret();
    await insertAccessToken(sql, {
      token_hash: secretHash(accessToken),
      offer_id: row.offer_id,
      created_at: now,
      expires_at: until,
      dpop_jkt: options.dpopJkt ?? null,
      authorization_id: row.id,
    });
    return { kind: 'token', accessToken };
  });
  if (outcome.kind === 'reused') {
    throw new Oid4vciError(
      'invalid_grant',
      `the authorization code was already used; the ${outcome.revoked === 1 ? 'token' : 'tokens'} issued from it ${outcome.revoked === 1 ? 'is' : 'are'} revoked`,
    );
  }
  if (outcome.kind === 'refused') throw outcome.error;
  return { access_token: outcome.accessToken, token_type: options.dpopJkt ? 'DPoP' : 'Bearer', expires_in: OID4VCI_LIMITS.accessTokenTtl };
}
