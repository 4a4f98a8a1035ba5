import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { resolvePublicKey } from '../../core/did/resolve.js';
import { InvalidInputError, NetcredError, toNetcredError } from '../../core/errors.js';
import { jwkThumbprint, type PublicJwk } from '../../core/jose/jwk.js';
import { RESIDENT_IDENTITY_VCT } from '../../schemas/profiles/index.js';
import { validateIdentityClaims } from '../../schemas/resident-identity/validate.js';
import type { IssuerContext } from '../context.js';
import { allocateStatus, revokeSuperseded, writeTransaction, type StatusAssignment } from '../status/index.js';
import { unenvelope } from '../w3c/envelope.js';
import { identityVcdm2Credential, mintIdentitySdJwtVc, type MintIdentityInput } from './mint.js';
import { insertIssuanceRecord, supersedeEarlier, type CredentialFormat } from './records.js';
import { subjectRef } from './subject-ref.js';

export const CREDENTIAL_FORMATS: readonly CredentialFormat[] = ['dc+sd-jwt', 'vc+sd-jwt'];

export type IssueRequest = {
  /** The holder's DID (did:key, did:jwk or did:web), or a DID URL naming one of its keys (recorded and put in `sub` without the fragment). */
  holderDid: string;
  /** Identity claims, validated with validateIdentityClaims. */
  claims: unknown;
  format?: CredentialFormat;
};

export type IssuedCredential = {
  /** Issuance record id (uuid), also the status entry's credential id. */
  id: string;
  /** The SD-JWT (`<JWT>~<D1>~...~`). */
  credential: string;
  format: CredentialFormat;
  vct: string;
  holderDid: string;
  holderThumbprint: string;
  /** Epoch seconds. */
  issuedAt: number;
  expiresAt: number;
  status?: StatusAssignment;
};

function checkRequest(req: IssueRequest): { format: CredentialFormat; did: string; kid?: string } {
  const format = req.format ?? 'dc+sd-jwt';
  const details = [];
  if (!CREDENTIAL_FORMATS.includes(format)) details.push({ path: 'format', message: `must be one of ${CREDENTIAL_FORMATS.join(', ')}` });
  if (typeof req.holderDid !== 'string' || req.holderDid.length === 0 || req.holderDid.length > 4096) details.push({ path: 'holderDid', message: 'must be a DID' });
  if (details.length) throw new InvalidInputError('invalid issuance request', details);
  const [did, fragment] = req.holderDid.split('#') as [string, string | undefined];
  return fragment === undefined ? { format, did } : { format, did, kid: req.holderDid };
}

/** vc+sd-jwt goes through Veramo's API: agent.createVerifiableCredential with our VCDM 2.0 provider. */
async function mintVcSdJwtViaAgent(ctx: IssuerContext, input: Omit<MintIdentityInput, 'signer'>): Promise<string> {
  const credential = identityVcdm2Credential(input);
  const result = await ctx.agent.createVerifiableCredential({
    credential: credential as never,
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
 * Issues the resident identity credential to a holder DID. Claims are validated first (every
 * failing field in one INVALID_INPUT error), the holder DID resolved (DID_UNSUPPORTED_METHOD,
 * DID_NOT_FOUND, DID_INVALID), then ONE transaction allocates the status entry, mints, writes
 * the issuance record and revokes (reason superseded) the subject's earlier credentials of
 * the same type. Any failure rolls it all back. No claim value is stored.
 */
export async function issueCredential(ctx: IssuerContext, req: IssueRequest, options: { now?: Date } = {}): Promise<IssuedCredential> {
  const { format, did, kid } = checkRequest(req);
  const now = options.now ?? new Date();
  const claims = validateIdentityClaims(req.claims, { now });
  const { jwk } = await resolvePublicKey(ctx.resolver, did, kid);
  const holderJwk: PublicJwk = jwk.kty === 'OKP' ? { kty: 'OKP', crv: 'Ed25519', x: jwk.x } : { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
  const holderThumbprint = jwkThumbprint(holderJwk);
  const id = randomUUID();
  const vct = RESIDENT_IDENTITY_VCT;
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = issuedAt + ctx.config.credentialTtlSeconds;
  const ref = subjectRef(ctx, claims.id_number);

  const { credential, status } = await writeTransaction(ctx.dataSource, async (tx: EntityManager) => {
    const status = await allocateStatus(ctx, tx, id);
    const input = { issuerDid: ctx.issuerDid, claims, holderDid: did, holderJwk, iat: issuedAt, exp: expiresAt, status };
    const credential = format === 'dc+sd-jwt' ? await mintIdentitySdJwtVc({ ...input, signer: ctx.signer }) : await mintVcSdJwtViaAgent(ctx, input);
    await insertIssuanceRecord(tx, { id, vct, format, subjectRef: ref, holderDid: did, holderThumbprint, issuedAt, expiresAt });
    const earlier = await supersedeEarlier(tx, vct, ref, id);
    if (earlier.length) await revokeSuperseded(ctx, tx, earlier, 'issuer');
    return { credential, status };
  }).catch((err: unknown) => {
    // A KMS, database or status failure: rolled back; callers still get a typed error.
    throw toNetcredError(err);
  });
  const issued: IssuedCredential = { id, credential, format, vct, holderDid: did, holderThumbprint, issuedAt, expiresAt };
  if (status) issued.status = status;
  return issued;
}
