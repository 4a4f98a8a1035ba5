import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { resolvePublicKey } from '../../core/did/resolve.js';
import { NetcredError } from '../../core/errors.js';
import { jwkThumbprint, type PublicJwk } from '../../core/jose/jwk.js';
import { RESIDENT_IDENTITY_VCT } from '../../schemas/profiles/index.js';
import { validateIdentityClaims } from '../../schemas/resident-identity/validate.js';
import type { IssuerContext } from '../context.js';
import { issueCredential } from '../issuance/issue.js';
import { identityVcdm2Credential, mintIdentitySdJwtVc, type MintIdentityInput } from '../issuance/mint.js';
import { insertIssuanceRecord, supersedeEarlier } from '../issuance/records.js';
import { subjectRef } from '../issuance/subject-ref.js';
import { allocateStatus, revokeSuperseded, writeTransaction } from '../status/index.js';
import { unenvelope } from '../w3c/envelope.js';
import type { OfferFormat } from './metadata.js';

export type MintBatchInput = { claims: unknown; format: OfferFormat; holderDids: string[] };
export type MintedCredential = { id: string; credential: string };

/** Mints the credentials of one credential request (one per proof key). */
export type MintFn = (ctx: IssuerContext, input: MintBatchInput) => Promise<MintedCredential[]>;

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
 * A batch is ONE issuance in several copies (one per holder key, for unlinkability): issuing
 * them one by one with issueCredential would make each copy supersede, and so revoke, its
 * siblings. Same steps as issueCredential, in one transaction: the subject's earlier
 * credentials are superseded once, then every copy gets its own status entry and record.
 */
async function mintCopies(ctx: IssuerContext, input: MintBatchInput): Promise<MintedCredential[]> {
  const now = new Date();
  const claims = validateIdentityClaims(input.claims, { now });
  const holders: { did: string; jwk: PublicJwk }[] = [];
  for (const holderDid of input.holderDids) {
    const { jwk } = await resolvePublicKey(ctx.resolver, holderDid);
    holders.push({ did: holderDid, jwk: jwk.kty === 'OKP' ? { kty: 'OKP', crv: 'Ed25519', x: jwk.x } : { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } });
  }
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + ctx.config.credentialTtlSeconds;
  const ref = subjectRef(ctx, claims.id_number);
  const ids = holders.map(() => randomUUID());
  return writeTransaction(ctx.dataSource, async (tx: EntityManager) => {
    const earlier = await supersedeEarlier(tx, RESIDENT_IDENTITY_VCT, ref, ids[0]!);
    if (earlier.length) await revokeSuperseded(ctx, tx, earlier, 'issuer');
    const out: MintedCredential[] = [];
    for (const [i, h] of holders.entries()) {
      const id = ids[i]!;
      const status = await allocateStatus(ctx, tx, id);
      const base = { issuerDid: ctx.issuerDid, claims, holderDid: h.did, holderJwk: h.jwk, iat, exp, status };
      const credential = input.format === 'dc+sd-jwt' ? await mintIdentitySdJwtVc({ ...base, signer: ctx.signer }) : await mintVcSdJwt(ctx, base);
      await insertIssuanceRecord(tx, {
        id,
        vct: RESIDENT_IDENTITY_VCT,
        format: input.format,
        subjectRef: ref,
        holderDid: h.did,
        holderThumbprint: jwkThumbprint(h.jwk),
        issuedAt: iat,
        expiresAt: exp,
      });
      out.push({ id, credential });
    }
    return out;
  });
}

/** The default MintFn: issueCredential for one key, a single-transaction batch for several. */
export const mintForRequest: MintFn = async (ctx, input) => {
  if (input.holderDids.length === 1) {
    const issued = await issueCredential(ctx, { holderDid: input.holderDids[0]!, claims: input.claims, format: input.format });
    return [{ id: issued.id, credential: issued.credential }];
  }
  return mintCopies(ctx, input);
};
