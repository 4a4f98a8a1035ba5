import type { EntityManager } from 'typeorm';
import { resolvePublicJwk } from '../../core/did/resolve.js';
import { InvalidInputError, type ErrorDetail } from '../../core/errors.js';
import { jwkThumbprint, type PublicJwk } from '../../core/jose/jwk.js';
import { RESIDENT_IDENTITY_VCT } from '../../schemas/profiles/index.js';
import { validateIdentityClaims } from '../../schemas/resident-identity/validate.js';
import type { IdentityClaims } from '../../schemas/resident-identity/types.js';
import type { IssuerContext } from '../context.js';
import type { StatusAssignment } from '../status/index.js';
import { CREDENTIAL_FORMATS, isCredentialFormat, SD_JWT_VC_TYP, type CredentialFormat } from '../../core/vc/formats.js';
import { compiledCredentialType, validateTypedClaims, type CompiledCredentialType } from '../credential-types/index.js';
import { newRecordId } from './record-id.js';
import { subjectRef } from './subject-ref.js';

export { CREDENTIAL_FORMATS };

/** At most this many holder keys (copies) in one issuance. */
export const MAX_HOLDERS = 64;

/** A credential the issuer signed and recorded: its id, the credential, format, vct, holder, times and status. */
export type IssuedCredential = {
  /** Issuance record id (UUIDv7, record-id.ts), also the status entry's credential id. */
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
  /** The lite companion (an SD-JWT VC credential only): the lite claims, same key, same status entry (companion.ts). */
  companion?: string;
};

/** Runs inside the issuance transaction after every write of the issuance; a throw rolls it all back. */
export type BeforeCommit = (tx: EntityManager, issued: IssuedCredential[]) => Promise<void>;

/**
 * beforeCommit's steps as SQL for the one-exec commit on SQLite (one-exec-commit.ts), given the
 * issuance's record ids: `require` is a condition checked with the batch's reservation claim
 * (false: the whole exec fails and the batch is written again through issueBatch, which runs
 * beforeCommit instead); `statements` run after the records, values inlined; `keys` name what
 * the steps spend (a nonce, a token), and a batch holding one key twice takes issueBatch's path.
 */
export type InlineCommit = { require: string; statements: string[]; keys: string[] };

/** One issuance (one person, one credential per holder key) checked and resolved, ready for a transaction. */
export type PreparedIssuance = {
  ctx: IssuerContext;
  format: CredentialFormat;
  vct: string;
  /** The resident identity's claims, or (with `type`) a registered type's claims, validated against its schema. */
  claims: IdentityClaims;
  /** A registered credential type (issuer/credential-types): minted by its own rules; absent for the resident identity. */
  type?: CompiledCredentialType;
  subjectRef: string;
  issuedAt: number;
  expiresAt: number;
  holders: { id: string; did: string; jwk: PublicJwk; thumbprint: string }[];
  beforeCommit?: BeforeCommit;
  /** The same steps as beforeCommit, for the one-exec commit (which skips issuances that have beforeCommit alone). */
  inlineCommit?: (ids: string[]) => InlineCommit;
  /** Minted before the transaction on reserved status indexes (group commit); written if the reservation holds. */
  reserved?: { listId: number; indexes: number[]; statuses: StatusAssignment[]; credentials: string[] };
};

/** A holder DID, or a DID URL naming one of its keys (`sub` and the record keep the DID). */
export function splitHolder(holderDid: unknown, path: string, details: ErrorDetail[]): { did: string; kid?: string } | undefined {
  if (typeof holderDid !== 'string' || holderDid.length === 0 || holderDid.length > 4096) {
    details.push({ path, message: 'must be a DID' });
    return undefined;
  }
  const [did, fragment] = holderDid.split('#') as [string, string | undefined];
  return fragment === undefined ? { did } : { did, kid: holderDid };
}

export function checkFormat(format: unknown, details: ErrorDetail[]): CredentialFormat {
  const f = (format ?? SD_JWT_VC_TYP) as CredentialFormat;
  if (!isCredentialFormat(f)) details.push({ path: 'format', message: `must be one of ${CREDENTIAL_FORMATS.join(', ')}` });
  return f;
}

/**
 * A registered type's claims (INVALID_INPUT naming the vct when it is not registered, or an
 * SD-JWT VC is not asked for), and its subject: `subject_claim`'s value keyed like id_number, or a
 * fresh reference when the type names none (its credentials then never supersede each other).
 */
async function prepareTyped(ctx: IssuerContext, vct: string, input: unknown, format: CredentialFormat) {
  const type = await compiledCredentialType(ctx, vct);
  if (!type)
    throw new InvalidInputError(`credential type ${vct} is not registered with this issuer (netcred issuer type list)`, [
      { path: 'vct', message: 'is not a registered credential type' },
    ]);
  if (format !== SD_JWT_VC_TYP)
    throw new InvalidInputError(`a registered credential type is issued as ${SD_JWT_VC_TYP} only`, [
      { path: 'format', message: `must be ${SD_JWT_VC_TYP} for ${vct}` },
    ]);
  const claims = validateTypedClaims(type, input);
  const subject = type.definition.subjectClaim;
  const ref = subject === undefined ? newRecordId() : subjectRef(ctx, `${vct}\n${String(claims[subject])}`);
  return { type, claims, ref };
}

/**
 * What can fail before a transaction: claims validated (every failing field in one
 * INVALID_INPUT), holder DIDs resolved (DID_UNSUPPORTED_METHOD, DID_NOT_FOUND, DID_INVALID).
 * A request that fails here never joins a group commit.
 */
export async function prepareIssuance(
  ctx: IssuerContext,
  input: { holders: { did: string; kid?: string }[]; claims: unknown; format: CredentialFormat; vct?: string },
  options: { now?: Date; beforeCommit?: BeforeCommit; inlineCommit?: (ids: string[]) => InlineCommit } = {},
): Promise<PreparedIssuance> {
  const now = options.now ?? new Date();
  const typed = input.vct !== undefined && input.vct !== RESIDENT_IDENTITY_VCT ? await prepareTyped(ctx, input.vct, input.claims, input.format) : undefined;
  const claims = typed ? (typed.claims as IdentityClaims) : validateIdentityClaims(input.claims, { now });
  const holders: PreparedIssuance['holders'] = [];
  for (const h of input.holders) {
    const jwk = await resolvePublicJwk(ctx.resolver, h.did, h.kid);
    const holderJwk: PublicJwk = jwk.kty === 'OKP' ? { kty: 'OKP', crv: 'Ed25519', x: jwk.x } : { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
    holders.push({ id: newRecordId(), did: h.did, jwk: holderJwk, thumbprint: jwkThumbprint(holderJwk) });
  }
  if (holders.length > 1 && new Set(holders.map((h) => h.thumbprint)).size !== holders.length)
    throw new InvalidInputError('each holder key may appear once per issuance', [{ path: 'holders', message: 'duplicate holder key' }]);
  const issuedAt = Math.floor(now.getTime() / 1000);
  const prepared: PreparedIssuance = {
    ctx,
    format: input.format,
    vct: typed ? typed.type.definition.vct : RESIDENT_IDENTITY_VCT,
    claims,
    subjectRef: typed ? typed.ref : subjectRef(ctx, claims.id_number),
    issuedAt,
    expiresAt: issuedAt + ctx.config.credentialTtlSeconds,
    holders,
  };
  if (typed) prepared.type = typed.type;
  if (options.beforeCommit) prepared.beforeCommit = options.beforeCommit;
  if (options.inlineCommit) prepared.inlineCommit = options.inlineCommit;
  return prepared;
}
