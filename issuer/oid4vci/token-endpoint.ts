import { authorizationCodeEnabled } from '../oauth-policy.js';
import type { IssuerContext } from '../context.js';
import { formParam } from './authorization-request.js';
import { authenticateClient } from './client-auth.js';
import { AUTHORIZATION_CODE_GRANT, OID4VCI_PATHS, PRE_AUTHORIZED_GRANT } from './config.js';
import { checkDpop } from './dpop.js';
import { Oid4vciError } from './errors.js';
import { exchangePreAuthorizedCode, type TokenResponse } from './token.js';
import { exchangeAuthorizationCode } from './token-code.js';

export type TokenHeaders = { dpop: string | string[] | undefined; attestation: string | string[] | undefined; attestationPop: string | string[] | undefined };

/**
 * Token endpoint: the grant type first (as it always answered), then the DPoP proof (required
 * under HAIP; when sent, the token is bound to its key), then the client (wallet attestation as
 * configured), then the grant: pre-authorized code, or authorization code where that flow is on.
 */
export async function handleTokenRequest(ctx: IssuerContext, body: Record<string, unknown>, headers: TokenHeaders): Promise<TokenResponse> {
  const grantType = formParam(body, 'grant_type', 512);
  if (grantType === undefined) throw new Oid4vciError('invalid_request', 'grant_type is missing');
  const codeFlow = authorizationCodeEnabled(ctx.config.oauth);
  if (grantType !== PRE_AUTHORIZED_GRANT && !(codeFlow && grantType === AUTHORIZATION_CODE_GRANT)) {
    throw new Oid4vciError(
      'unsupported_grant_type',
      codeFlow ? `only ${PRE_AUTHORIZED_GRANT} and ${AUTHORIZATION_CODE_GRANT} are supported` : `only ${PRE_AUTHORIZED_GRANT} is supported`,
    );
  }
  const dpopJkt = await checkDpop(ctx, headers.dpop, { path: OID4VCI_PATHS.token, role: 'authorization-server', required: ctx.config.oauth.haip });
  const client = await authenticateClient(ctx, { attestation: headers.attestation, pop: headers.attestationPop }, formParam(body, 'client_id', 256));
  if (grantType === PRE_AUTHORIZED_GRANT) return exchangePreAuthorizedCode(ctx, body, { dpopJkt });
  return exchangeAuthorizationCode(ctx, body, { dpopJkt, client });
}
