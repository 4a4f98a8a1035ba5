import type { EntityManager } from 'typeorm';
import { InvalidInputError, toNetcredError, type ErrorDetail } from '../../core/errors.js';
import type { IssuerContext } from '../context.js';
import { forgetAllocations } from '../status/index.js';
import { issueBatch } from './batch.js';
import { withLiteCompanions } from './companion.js';
import { enqueueIssuance } from './group-commit.js';
import {
  checkFormat,
  MAX_HOLDERS,
  prepareIssuance,
  splitHolder,
  type BeforeCommit,
  type InlineCommit,
  type IssuedCredential,
  type PreparedIssuance,
} from './prepare.js';
import type { CredentialFormat } from './records.js';

export { CREDENTIAL_FORMATS, type BeforeCommit, type InlineCommit, type IssuedCredential } from './prepare.js';

/** A credential to issue: the holder DID it is bound to, the claims (checked against the JSON Schema) and the format. */
export type IssueRequest = {
  /** The holder's DID (did:key, did:jwk or did:web), or a DID URL naming one of its keys (recorded and put in `sub` without the fragment). */
  holderDid: string;
  /** Identity claims, validated with validateIdentityClaims; or, with `vct`, the registered type's claims, validated against its schema. */
  claims: unknown;
  format?: CredentialFormat;
  /** A registered credential type (registerCredentialType); default: the resident identity. */
  vct?: string;
};

/** One issuance for one person in several copies, one per holder key (e.g. an OpenID4VCI batch). */
export type IssueManyRequest = {
  holders: { holderDid: string }[];
  claims: unknown;
  format?: CredentialFormat;
  /** A registered credential type; default: the resident identity. */
  vct?: string;
};

/** How issueCredential runs: the time, and the caller's own transaction or commit hooks (default: the group commit). */
export type IssueOptions = {
  now?: Date;
  /**
   * Run in this transaction (which must hold the write lock, e.g. from writeTransaction)
   * instead of the group commit; the caller commits.
   */
  tx?: EntityManager;
  /** Runs in the issuance's transaction after its writes (e.g. spend a nonce); a throw fails this issuance alone. */
  beforeCommit?: BeforeCommit;
  /** beforeCommit as SQL, so the issuance can join the one-exec group commit on SQLite (prepare.ts InlineCommit); beforeCommit is still required. */
  inlineCommit?: (ids: string[]) => InlineCommit;
  /**
   * Also mint each SD-JWT VC's lite companion (`IssuedCredential.companion`, companion.ts): what
   * a path that delivers to a wallet asks for (the OpenID4VCI credential endpoint, `netcred
   * issuer issue`). It costs a second signature, after the commit.
   */
  liteCompanion?: boolean;
};

/** The request's `vct`, when it names one (a registered type or the resident identity). */
function vctOf(req: { vct?: unknown }, details: ErrorDetail[]): { vct?: string } {
  if (req?.vct === undefined) return {};
  if (typeof req.vct !== 'string' || req.vct === '' || req.vct.length > 512) {
    details.push({ path: 'vct', message: 'must be a credential type (vct) string' });
    throw new InvalidInputError('invalid issuance request', details);
  }
  return { vct: req.vct };
}

async function run(job: PreparedIssuance, tx: EntityManager | undefined): Promise<IssuedCredential[]> {
  if (!tx) return enqueueIssuance(job);
  try {
    return (await issueBatch(tx, [job]))[0]!;
  } catch (err) {
    // The caller's transaction will roll back: indexes picked in memory may not be committed.
    forgetAllocations(job.ctx.dataSource);
    throw toNetcredError(err);
  }
}

/**
 * Issues one credential per holder key to one person. Claims are validated and every holder
 * DID resolved before any transaction (INVALID_INPUT, DID_*); then ONE transaction (a group
 * commit shared with concurrent issuances, or options.tx) allocates the status entries, mints,
 * writes the issuance records and revokes (reason superseded) the person's earlier credentials
 * of the same type. The copies do not supersede each other. Resolves after the commit; any
 * failure rolls this issuance back. No claim value is stored.
 */
export async function issueCredentials(ctx: IssuerContext, req: IssueManyRequest, options: IssueOptions = {}): Promise<IssuedCredential[]> {
  const details: ErrorDetail[] = [];
  const format = checkFormat(req?.format, details);
  const list = req?.holders;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_HOLDERS) {
    details.push({ path: 'holders', message: `must be an array of 1 to ${MAX_HOLDERS} holders` });
  }
  const holders = (Array.isArray(list) ? list.slice(0, MAX_HOLDERS) : []).map((h, i) =>
    splitHolder((h as { holderDid?: unknown } | null)?.holderDid, `holders[${i}].holderDid`, details),
  );
  if (details.length) throw new InvalidInputError('invalid issuance request', details);
  const job = await prepareIssuance(ctx, { holders: holders as { did: string; kid?: string }[], claims: req.claims, format, ...vctOf(req, details) }, options);
  const issued = await run(job, options.tx);
  return options.liteCompanion && !job.type ? withLiteCompanions(job, issued) : issued;
}

/** Issues the resident identity credential to one holder DID: issueCredentials with one holder. */
export async function issueCredential(ctx: IssuerContext, req: IssueRequest, options: IssueOptions = {}): Promise<IssuedCredential> {
  const details: ErrorDetail[] = [];
  const format = checkFormat(req?.format, details);
  const holder = splitHolder(req?.holderDid, 'holderDid', details);
  if (details.length) throw new InvalidInputError('invalid issuance request', details);
  const job = await prepareIssuance(ctx, { holders: [holder!], claims: req.claims, format, ...vctOf(req, details) }, options);
  const issued = await run(job, options.tx);
  return (options.liteCompanion && !job.type ? await withLiteCompanions(job, issued) : issued)[0]!;
}
