import type { EntityManager } from 'typeorm';
import { NetcredError } from '../../core/errors.js';
import type { IssuerContext } from '../context.js';
import { allocateStatuses, commitReservation, reservedIndexesTaken, revokeSuperseded, type StatusAssignment } from '../status/index.js';
import { unenvelope } from '../../core/vc/envelope.js';
import { W3C_SD_JWT_TYP } from '../../core/vc/formats.js';
import { identityVcdm2Credential, mintIdentitySdJwtVc, type MintIdentityInput } from './mint.js';
import { mintTypedSdJwtVc } from '../credential-types/mint.js';
import type { IssuedCredential, PreparedIssuance } from './prepare.js';
import { currentRecordsOf, insertIssuanceRecords, markSuperseded, type IssuanceRecord } from './records.js';
import { normalizeVcdm2 } from '../w3c/credential.js';
import { signVcSdJwt } from '../w3c/sign.js';

/** vc+sd-jwt goes through Veramo's API: agent.createVerifiableCredential with our VCDM 2.0 provider. */
async function mintVcSdJwtViaAgent(ctx: IssuerContext, input: Omit<MintIdentityInput, 'signer'>): Promise<string> {
  const result = await ctx.agent.createVerifiableCredential({
    credential: identityVcdm2Credential(input) as never,
    proofFormat: W3C_SD_JWT_TYP as never,
    cnf: { jwk: input.holderJwk },
    now: input.iat,
    exp: input.exp,
  });
  const env = unenvelope(result);
  if (!env || env.mediaType !== W3C_SD_JWT_TYP) throw new NetcredError('INTERNAL', 'the agent did not return a vc+sd-jwt EnvelopedVerifiableCredential');
  return env.token;
}

/**
 * Who replaces whom, as if the issuances ran one after the other in queue order: a subject's
 * current credentials (in the database) are replaced by its first issuance in the batch, each
 * issuance by the subject's next one in the batch. The copies of one issuance (one per holder
 * key) never replace each other; the first copy's id stands for the issuance.
 */
export function supersession(jobs: PreparedIssuance[], current: { id: string; subjectRef: string; vct: string }[]) {
  const key = (vct: string, ref: string) => `${vct}\n${ref}`;
  const first = new Map<string, PreparedIssuance>();
  const last = new Map<string, PreparedIssuance>();
  const next = new Map<PreparedIssuance, string>();
  for (const job of jobs) {
    const k = key(job.vct, job.subjectRef);
    const prev = last.get(k);
    if (prev) next.set(prev, job.holders[0]!.id);
    else first.set(k, job);
    last.set(k, job);
  }
  const earlier = new Map<string, string[]>();
  for (const r of current) {
    const replacement = first.get(key(r.vct, r.subjectRef))!.holders[0]!.id;
    earlier.set(replacement, [...(earlier.get(replacement) ?? []), r.id]);
  }
  return { next, earlier };
}

/**
 * vc+sd-jwt of an issuer whose `iss` is its URL: signed directly with the issuer's signer (kid,
 * x5c), the same VC-JOSE-COSE form the provider makes; Veramo's providers only sign as a DID.
 */
function mintVcSdJwtAsUrlIssuer(ctx: IssuerContext, input: Omit<MintIdentityInput, 'signer'>): Promise<string> {
  const vc = normalizeVcdm2(identityVcdm2Credential(input), new Date(input.iat * 1000));
  return signVcSdJwt(vc, ctx.signer, { iat: input.iat, exp: input.exp, cnf: { jwk: input.holderJwk } });
}

/** One credential of an issuance, for one holder key, carrying its status entry (`iss`: the issuer identifier). */
export function mintCopy(job: PreparedIssuance, holder: PreparedIssuance['holders'][number], status: StatusAssignment): Promise<string> {
  const input = {
    issuerDid: job.ctx.issuerId,
    id: holder.id,
    signer: job.ctx.signer,
    claims: job.claims,
    holderDid: holder.did,
    holderJwk: holder.jwk,
    iat: job.issuedAt,
    exp: job.expiresAt,
    status,
  };
  if (job.type) return mintTypedSdJwtVc({ ...input, issuerId: input.issuerDid, type: job.type, claims: job.claims as Record<string, unknown> });
  if (job.format === 'dc+sd-jwt') return mintIdentitySdJwtVc(input);
  return job.ctx.issuerId === job.ctx.issuerDid ? mintVcSdJwtViaAgent(job.ctx, input) : mintVcSdJwtAsUrlIssuer(job.ctx, input);
}

/** Per issuance, its copies' status entries and credentials. */
export type Minted = Map<PreparedIssuance, { status: StatusAssignment; credential: string }[]>;

/** The copies of an issuance minted ahead on its reservation (group-commit.ts mintOnReservation). */
export function mintedOnReservation(job: PreparedIssuance): { status: StatusAssignment; credential: string }[] {
  const r = job.reserved!;
  return job.holders.map((_, i) => ({ status: r.statuses[i]!, credential: r.credentials[i]! }));
}

/**
 * Status entries and credentials of a batch: the issuances minted beforehand on reserved
 * indexes of one list keep them if that reservation can be written; every other copy gets its
 * indexes here and is minted now.
 */
async function statusesAndCredentials(tx: EntityManager, jobs: PreparedIssuance[]): Promise<Minted> {
  const out: Minted = new Map();
  const listId = jobs.find((j) => j.reserved)?.reserved?.listId;
  let reserved = jobs.filter((j) => j.reserved && j.reserved.listId === listId);
  if (reserved.length) {
    // Another process may have taken a reserved index since this one read the list; those
    // issuances are minted again below, the others keep theirs (docs/issuer-data.md).
    // And an index reserved twice in this process (a reservation made before this process
    // dropped its view of the list after a failed batch) goes to the first issuance only.
    const taken = await reservedIndexesTaken(
      tx,
      listId!,
      reserved.flatMap((j) => j.reserved!.indexes),
    );
    reserved = reserved.filter((j) => {
      if (j.reserved!.indexes.some((idx) => taken.has(idx))) return false;
      for (const idx of j.reserved!.indexes) taken.add(idx);
      return true;
    });
  }
  if (reserved.length) {
    const ids = reserved.flatMap((j) => j.holders.map((h) => h.id));
    const indexes = reserved.flatMap((j) => j.reserved!.indexes);
    if (await commitReservation(tx, listId!, ids, indexes)) {
      for (const j of reserved) out.set(j, mintedOnReservation(j));
    }
  }
  const rest = jobs.filter((j) => !out.has(j));
  const copies = rest.flatMap((job) => job.holders.map((holder) => ({ job, holder })));
  const statuses = await allocateStatuses(
    jobs[0]!.ctx,
    tx,
    copies.map((c) => c.holder.id),
  );
  for (const [i, { job, holder }] of copies.entries()) {
    const credential = await mintCopy(job, holder, statuses[i]!);
    if (!out.has(job)) out.set(job, []);
    out.get(job)!.push({ status: statuses[i]!, credential });
  }
  return out;
}

/** What the callers get and the issuance records, per copy in queue order (`next`: the replacement of an issuance by the same subject's next one in the batch). */
export function assemble(
  jobs: PreparedIssuance[],
  minted: Minted,
  next: Map<PreparedIssuance, string>,
): { issued: Map<PreparedIssuance, IssuedCredential[]>; records: IssuanceRecord[] } {
  const issued = new Map<PreparedIssuance, IssuedCredential[]>();
  const records: IssuanceRecord[] = [];
  for (const job of jobs) {
    const out: IssuedCredential[] = [];
    const copies = minted.get(job)!;
    for (const [k, holder] of job.holders.entries()) {
      const { status, credential } = copies[k]!;
      // Literal objects rather than spreads of a shared base: this runs per credential of every batch.
      out.push({
        id: holder.id,
        vct: job.vct,
        format: job.format,
        holderDid: holder.did,
        holderThumbprint: holder.thumbprint,
        issuedAt: job.issuedAt,
        expiresAt: job.expiresAt,
        credential,
        status,
      });
      records.push({
        id: holder.id,
        vct: job.vct,
        format: job.format,
        holderDid: holder.did,
        holderThumbprint: holder.thumbprint,
        issuedAt: job.issuedAt,
        expiresAt: job.expiresAt,
        subjectRef: job.subjectRef,
        supersededBy: next.get(job) ?? null,
      });
    }
    issued.set(job, out);
  }
  return { issued, records };
}

/**
 * Every write of several issuances in the caller's transaction (which holds the write lock):
 * one status allocation and one multi-row INSERT per table for the whole batch, minting
 * (unless done beforehand on a reservation that holds), and
 * the revocation (reason superseded) of what the batch replaces. Then each issuance's
 * beforeCommit. Returns the credentials per issuance, in order.
 */
export async function issueBatch(tx: EntityManager, jobs: PreparedIssuance[]): Promise<IssuedCredential[][]> {
  const ctx = jobs[0]!.ctx;
  const minted = await statusesAndCredentials(tx, jobs);

  const current: { id: string; subjectRef: string; vct: string }[] = [];
  for (const vct of new Set(jobs.map((j) => j.vct))) {
    const refs = [...new Set(jobs.filter((j) => j.vct === vct).map((j) => j.subjectRef))];
    for (const r of await currentRecordsOf(tx, vct, refs)) current.push({ ...r, vct });
  }
  const { next, earlier } = supersession(jobs, current);

  const { issued, records } = assemble(jobs, minted, next);
  await insertIssuanceRecords(tx, records);
  for (const [replacement, ids] of earlier) await markSuperseded(tx, ids, replacement);
  const replaced = [...[...earlier.values()].flat(), ...jobs.filter((j) => next.has(j)).flatMap((j) => j.holders.map((h) => h.id))];
  if (replaced.length) await revokeSuperseded(ctx, tx, replaced, 'issuer');

  for (const job of jobs) if (job.beforeCommit) await job.beforeCommit(tx, issued.get(job)!);
  return jobs.map((j) => issued.get(j)!);
}
