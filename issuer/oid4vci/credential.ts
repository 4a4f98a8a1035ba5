import type { IdentityClaims } from '../../schemas/index.js';
import { jwkThumbprint } from '../../core/jose/jwk.js';
import type { IssuerContext } from '../context.js';
import { issueCredentials } from '../issuance/index.js';
import { registeredTypeDefinition } from '../credential-types/index.js';
import { issuerIdentifier, OID4VCI_LIMITS, OID4VCI_PATHS } from './config.js';
import { checkDpop } from './dpop.js';
import { CLAIMS_KEY_PURPOSE } from './enroll.js';
import { Oid4vciError } from './errors.js';
import { CREDENTIAL_CONFIGURATIONS, isCredentialConfigurationId } from './metadata.js';
import { credentialSpendSql } from './inline-spend.js';
import { nonceExpiry, takeNonce } from './nonce.js';
import { verifyProofJwt, type VerifiedProof } from './proof.js';
import { secretHash, unseal } from './secrets.js';
import { sharedStateOf, type SharedOid4vciState } from './state/index.js';
import { consumeAccessToken, findAccessToken, findOffer, inTransaction, markIssuedIfOpen, nowSeconds, standalone } from './store.js';

/**
 * `netcred_lite_credentials`: the lite companion of each credential, in the same order (an
 * SD-JWT VC only), minted only for a request that asks with `"netcred_lite": true`. Both are
 * additional parameters (OpenID4VCI 1.0 sections 8.2 and 8.3: issuers and wallets ignore the ones
 * they do not know): netcred's wallet asks and imports them with the credentials; another wallet
 * does not ask, and no signature is spent on a companion it would drop.
 */
export type CredentialResponse = { credentials: { credential: string }[]; netcred_lite_credentials?: { credential: string }[] };

/** `Authorization: Bearer <token>` (RFC 6750) or `Authorization: DPoP <token>` (RFC 9449 7.1). */
export function accessTokenOf(authorization: string | undefined): { scheme: 'Bearer' | 'DPoP'; token: string } {
  const m = /^(Bearer|DPoP) ([A-Za-z0-9\-._~+/]+=*)$/.exec(authorization ?? '');
  if (!m) throw new Oid4vciError('invalid_token', 'an access token is required (Authorization: Bearer or DPoP)');
  return { scheme: m[1] as 'Bearer' | 'DPoP', token: m[2]! };
}

/** The `jwt` proofs of a request: `proofs: {jwt: [...]}`, or the older single `proof` object. */
function proofsOf(body: Record<string, unknown>): unknown[] {
  if (body.proofs !== undefined && body.proof !== undefined) throw new Oid4vciError('invalid_credential_request', 'send either proofs or proof, not both');
  if (body.proof !== undefined) {
    const p = body.proof as Record<string, unknown> | null;
    if (!p || typeof p !== 'object' || p.proof_type !== 'jwt') throw new Oid4vciError('invalid_proof', 'proof must be {proof_type: "jwt", jwt}');
    return [p.jwt];
  }
  const proofs = body.proofs as Record<string, unknown> | null | undefined;
  if (proofs === undefined) throw new Oid4vciError('invalid_proof', 'key proofs are required (proofs.jwt)');
  if (!proofs || typeof proofs !== 'object' || Array.isArray(proofs)) throw new Oid4vciError('invalid_credential_request', 'proofs must be an object');
  const types = Object.keys(proofs);
  if (types.length !== 1 || types[0] !== 'jwt') throw new Oid4vciError('invalid_proof', 'proofs must hold exactly one proof type, jwt');
  const list = proofs.jwt;
  if (!Array.isArray(list) || list.length === 0) throw new Oid4vciError('invalid_proof', 'proofs.jwt must be a non-empty array');
  if (list.length > OID4VCI_LIMITS.batchSize)
    throw new Oid4vciError('invalid_credential_request', `at most ${OID4VCI_LIMITS.batchSize} proofs per request (batch_size)`);
  return list;
}

/** Spends the request's c_nonces and (a pre-authorized) token in the shared state; on a refusal gives back what it took. */
async function spendShared(shared: SharedOid4vciState, tokenHash: string | undefined, nonces: { hash: string; expiresAt: number }[]): Promise<void> {
  const taken: string[] = [];
  for (const n of nonces) {
    if (!(await shared.spendNonce(n.hash, n.expiresAt))) {
      await shared.unspend({ nonceHashes: taken });
      throw new Oid4vciError('invalid_nonce', 'the c_nonce is unknown, used or expired; get a fresh one from the nonce endpoint');
    }
    taken.push(n.hash);
  }
  if (tokenHash !== undefined && !(await shared.consumeAccessToken(tokenHash, nowSeconds() + OID4VCI_LIMITS.accessTokenTtl))) {
    await shared.unspend({ nonceHashes: taken });
    throw new Oid4vciError('invalid_token', 'the access token is unknown, used or expired');
  }
}

/**
 * Credential endpoint (OpenID4VCI 1.0 section 8). Checks the token, the request and every
 * proof's signature first; then ONE transaction mints one credential per proof key (issueCredentials),
 * spends the nonces and the (single use) token and erases the offer's claims. No credential, and
 * nothing spent, on any error.
 */
export async function handleCredentialRequest(
  ctx: IssuerContext,
  authorization: string | undefined,
  body: unknown,
  dpopHeader?: string | string[],
): Promise<CredentialResponse> {
  const { scheme, token } = accessTokenOf(authorization);
  const tokenHash = secretHash(token);
  const now = nowSeconds();
  const db = standalone(ctx.dataSource);
  // With the shared state (issuer serve --cache) pre-authorized tokens live in Redis; tokens of
  // the authorization code grant stay in the store (revoked with their code, in its transaction).
  const shared = sharedStateOf(ctx);
  const sharedToken = shared ? await shared.findAccessToken(tokenHash) : undefined;
  const row = sharedToken
    ? {
        offer_id: sharedToken.offerId,
        dpop_jkt: sharedToken.dpopJkt,
        used_at: sharedToken.used ? now : null,
        revoked_at: null,
        expires_at: sharedToken.expiresAt,
      }
    : await findAccessToken(db, tokenHash);
  if (!row || row.used_at !== null || row.revoked_at !== null || row.expires_at <= now)
    throw new Oid4vciError('invalid_token', 'the access token is unknown, used, revoked or expired');
  // RFC 9449 7.1: a DPoP-bound token only with the DPoP scheme and a proof by its key (ath, nonce).
  if (row.dpop_jkt !== null) {
    if (scheme !== 'DPoP') throw new Oid4vciError('invalid_token', 'this access token is DPoP-bound: send it as Authorization: DPoP, with a DPoP proof');
    await checkDpop(ctx, dpopHeader, { path: OID4VCI_PATHS.credential, role: 'resource-server', required: true, accessToken: token, boundJkt: row.dpop_jkt });
  } else if (scheme === 'DPoP') {
    throw new Oid4vciError('invalid_token', 'this access token is not DPoP-bound: send it as Authorization: Bearer');
  } else if (ctx.config.oauth.haip) {
    throw new Oid4vciError('invalid_token', 'this issuer follows HAIP: only DPoP-bound access tokens are accepted');
  }

  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Oid4vciError('invalid_credential_request', 'the request body must be a JSON object');
  const req = body as Record<string, unknown>;
  if (req.credential_identifier !== undefined)
    throw new Oid4vciError('invalid_credential_request', 'credential_identifier is not issued by this server; use credential_configuration_id');
  if (req.format !== undefined)
    throw new Oid4vciError('invalid_credential_request', 'format is not a parameter of OpenID4VCI 1.0; use credential_configuration_id');
  if (req.credential_response_encryption !== undefined) throw new Oid4vciError('invalid_credential_request', 'credential response encryption is not supported');
  if (req.netcred_lite !== undefined && typeof req.netcred_lite !== 'boolean')
    throw new Oid4vciError('invalid_credential_request', 'netcred_lite must be true or false (true: the lite companions too, in netcred_lite_credentials)');
  const configurationId = req.credential_configuration_id;
  if (typeof configurationId !== 'string') throw new Oid4vciError('invalid_credential_request', 'credential_configuration_id is required');
  // A configuration id that is not built in is a registered type's vct (metadata.ts).
  const builtIn = isCredentialConfigurationId(configurationId);
  if (!builtIn && (configurationId.length > 512 || !(await registeredTypeDefinition(ctx, configurationId))))
    throw new Oid4vciError('unknown_credential_configuration', `unknown credential configuration ${configurationId}`);
  const offer = await findOffer(db, row.offer_id);
  if (!offer || !(offer.state === 'redeemed' || (sharedToken && offer.state === 'pending')) || offer.claims_sealed === null)
    throw new Oid4vciError('invalid_token', 'the offer of this access token is no longer open');
  if (offer.configuration_id !== configurationId)
    throw new Oid4vciError('invalid_credential_request', `this access token was granted for ${offer.configuration_id}`);

  const audience = issuerIdentifier(ctx.config.publicUrl);
  const proofs: VerifiedProof[] = [];
  for (const jwt of proofsOf(req)) proofs.push(await verifyProofJwt(jwt, { audience, resolver: ctx.resolver, now }));
  const thumbprints = new Set(proofs.map((p) => jwkThumbprint(p.jwk)));
  if (thumbprints.size !== proofs.length) throw new Oid4vciError('invalid_proof', 'each proof in a batch must use its own key');

  // Checked now (MAC, expiry) so a bad nonce never joins a batch; spent (single use) at commit.
  const nonces = [...new Set(proofs.map((p) => p.nonce))].map((nonce) => {
    const expiresAt = nonceExpiry(ctx, nonce);
    if (expiresAt === undefined || expiresAt <= now)
      throw new Oid4vciError('invalid_nonce', 'the c_nonce is unknown, used or expired; get a fresh one from the nonce endpoint');
    return { nonce, hash: secretHash(nonce), expiresAt };
  });

  const claims = unseal<IdentityClaims>(ctx.deriveKey(CLAIMS_KEY_PURPOSE), offer.id, offer.claims_sealed);
  // One issuance (issuer/issuance, one copy per proof key, sharing a group commit with other
  // issuances), and in ITS transaction the nonces and the token are spent and the offer's
  // claims erased: a failure anywhere (a spent nonce, a token used meanwhile, minting) rolls
  // back all of it, so the wallet can retry with a fresh nonce and nothing was issued. On
  // SQLite the same steps go as SQL into the one-exec commit of the batch (inline-spend.ts).
  if (shared) await spendShared(shared, sharedToken ? tokenHash : undefined, nonces);
  let issued: Awaited<ReturnType<typeof issueCredentials>>;
  try {
    issued = await issueCredentials(
      ctx,
      {
        holders: proofs.map((p) => ({ holderDid: p.holderDid })),
        claims,
        ...(builtIn ? { format: CREDENTIAL_CONFIGURATIONS[configurationId].format } : { format: 'dc+sd-jwt' as const, vct: configurationId }),
      },
      {
        beforeCommit: async (tx, minted) => {
          const sql = inTransaction(tx);
          const at = nowSeconds();
          if (!shared) {
            for (const { nonce } of nonces) {
              if (!(await takeNonce(ctx, sql, nonce, at)))
                throw new Oid4vciError('invalid_nonce', 'the c_nonce is unknown, used or expired; get a fresh one from the nonce endpoint');
            }
          }
          if (!sharedToken && !(await consumeAccessToken(sql, tokenHash, at)))
            throw new Oid4vciError('invalid_token', 'the access token is unknown, used or expired');
          if (
            !(await markIssuedIfOpen(
              sql,
              offer.id,
              at,
              minted.map((c) => c.id),
            ))
          )
            throw new Oid4vciError('invalid_token', 'the offer of this access token is no longer open');
        },
        inlineCommit: credentialSpendSql({
          tokenHash: sharedToken ? undefined : tokenHash,
          nonces: shared ? [] : nonces,
          offerId: offer.id,
          now: nowSeconds(),
        }),
        // Each credential's lite companion, for netcred_lite_credentials, when the wallet asked.
        liteCompanion: req.netcred_lite === true,
      },
    );
  } catch (err) {
    // Nothing was issued: what Redis spent for it is given back, as a rollback gives back the store's.
    if (shared) await shared.unspend({ tokenHash: sharedToken ? tokenHash : undefined, nonceHashes: nonces.map((n) => n.hash) }).catch(() => undefined);
    throw err;
  }
  const companions = issued.every((c) => c.companion !== undefined) ? { netcred_lite_credentials: issued.map((c) => ({ credential: c.companion! })) } : {};
  return { credentials: issued.map((c) => ({ credential: c.credential })), ...companions };
}
