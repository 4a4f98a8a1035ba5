import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { resolvePublicKey } from '../../core/did/resolve.js';
import { NetcredError } from '../../core/errors.js';
import { jwkThumbprint, type PublicJwk } from '../../core/jose/jwk.js';
import { RESIDENT_IDENTITY_VCT } from '../../schemas/profiles/index.js';
import { validateIdentityClaims } from '../../schemas/resident-identity/validate.js';
import type { IdentityClaims } from '../../schemas/resident-identity/types.js';
import type { IssuerContext } from '../context.js';
import { identityVcdm2Credential, mintIdentitySdJwtVc, type MintIdentityInput } from '../issuance/mint.js';
import { insertIssuanceRecord, supersedeEarlier } from '../issuance/records.js';
import { subjectRef } from '../issuance/subject-ref.js';
import { allocateStatus, revokeSuperseded } from '../status/index.js';
import { unenvelope } from '../w3c/envelope.js';
import type { OfferFormat } from './metadata.js';

export type MintedCredential = { id: string; credential: string };

/** What can be checked before the transaction: valid claims, resolved holder keys. */
export type PreparedMint = {
  claims: IdentityClaims;
  format: OfferFormat;
  holders: { did: string; jwk: PublicJwk }[];
  iat: number;
  exp: number;
};

export async function prepareMint(ctx: IssuerContext, input: { claims: unknown; format: OfferFormat; holderDids: string[] }, now = new Date()): Promise<PreparedMint> {
  const claims = validateIdentityClaims(input.claims, { now });
  const holders: PreparedMint['holders'] = [];
  for (const did of input.holderDids) {
    const { jwk } = await resolvePublicKey(ctx.resolver, did);
    holders.push({ did, jwk: jwk.kty === 'OKP' ? { kty: 'OKP', crv: 'Ed25519', x: jwk.x } : { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } });
  }
  const iat = Math.floor(now.getTime() / 1000);
  return { claims, format: input.format, holders, iat, exp: iat + ctx.config.credentialTtlSeconds };
}

async function mintVcSdJwt(ctx: IssuerContext, input: Omit<MintIdentityInput, 'signer'>): Promise<string> {
  const result = await ctx.agent.createVerifiableCredential({
    credential: identityVcdm2Credential(input) as never,
    proofFormat: 'vc+sd-jwt' as never,
    cnf: { jwk: input.holderJwk },
    now: input.iat,
    exp: input.exp,
  });
  const env = unenvelope(result);
  if (!env || env.mediaType !== 'vc+sd-jwt') throw new NetcredError('INTERNAL', 'the agent did not return a vc+sd-jwt EnvelopedVerifiableCredential');
  return env.token;
}

/**
 * The steps of issueCredential (issuer/issuance/issue.ts), run inside the credential request's
 * own transaction so that spending the nonce and the token, minting and erasing the offer's
 * claims commit together or not at all. A batch is ONE issuance in several copies (one per
 * holder key, for unlinkability): the subject's earlier credentials are superseded once, and
 * the copies do not supersede (revoke) each other as one-by-one issueCredential calls would.
 */
export async function mintInTransaction(ctx: IssuerContext, tx: EntityManager, m: PreparedMint): Promise<MintedCredential[]> {
  const ref = subjectRef(ctx, m.claims.id_number);
  const ids = m.holders.map(() => randomUUID());
  const earlier = await supersedeEarlier(tx, RESIDENT_IDENTITY_VCT, ref, ids[0]!);
  if (earlier.length) await revokeSuperseded(ctx, tx, earlier, 'issuer');
  const out: MintedCredential[] = [];
  for (const [i, h] of m.holders.entries()) {
    const id = ids[i]!;
    const status = await allocateStatus(ctx, tx, id);
    const base = { issuerDid: ctx.issuerDid, claims: m.claims, holderDid: h.did, holderJwk: h.jwk, iat: m.iat, exp: m.exp, status };
    const credential = m.format === 'dc+sd-jwt' ? await mintIdentitySdJwtVc({ ...base, signer: ctx.signer }) : await mintVcSdJwt(ctx, base);
    await insertIssuanceRecord(tx, {
      id,
      vct: RESIDENT_IDENTITY_VCT,
      format: m.format,
      subjectRef: ref,
      holderDid: h.did,
      holderThumbprint: jwkThumbprint(h.jwk),
      issuedAt: m.iat,
      expiresAt: m.exp,
    });
    out.push({ id, credential });
  }
  return out;
}
