import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeStatusListToken, didKeyFromJwk, jwkThumbprint, publicJwkOf, resolvePublicKey } from '../../core/index.js';
import { initIssuer, issueCredential, revokeCredential, statusPublisher, type IssuerContext } from '../../issuer/index.js';
// Internals on purpose: this suite times status allocation, supersede and revocation inside the store, below issueCredential.
import { mintIdentitySdJwtVc } from '../../issuer/issuance/index.js';
import { insertIssuanceRecord, supersedeEarlier } from '../../issuer/issuance/records.js';
import { subjectRef } from '../../issuer/issuance/subject-ref.js';
import { allocateStatus, revokeSuperseded, writeTransaction } from '../../issuer/status/index.js';
import { makeIdNumber, RESIDENT_IDENTITY_VCT, sampleIdentityClaims, validateIdentityClaims } from '../../schemas/index.js';
import { bestOfInterleaved, opsPerSecond, ratio, type BenchRow, type BenchSuite } from '../harness.js';

const BIG = 1_000_000;

async function withIssuer<T>(statusListSize: number, fn: (ctx: IssuerContext) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netcred-bench-status-'));
  const ctx = await initIssuer({ dataDir: dir, secret: 'bench-secret-0123456789abcdef', publicUrl: 'https://issuer.bench' });
  ctx.config.statusListSize = statusListSize;
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 1,000,000-entry list: token size at 0.1 % revoked, then revoke + republish latency. */
async function bigList(): Promise<BenchRow[]> {
  return withIssuer(BIG, async (ctx): Promise<BenchRow[]> => {
    const ids = Array.from({ length: 6000 }, (_, i) => `big-${i}`);
    await writeTransaction(ctx.dataSource, async (tx) => {
      for (const id of ids) await allocateStatus(ctx, tx, id);
    });
    await writeTransaction(ctx.dataSource, (tx) => revokeSuperseded(ctx, tx, ids.slice(0, BIG / 1000), 'bench'));
    const publisher = statusPublisher(ctx);
    const t0 = performance.now();
    const token = (await publisher.token(1))!;
    const firstPublishMs = performance.now() - t0;
    const lst = decodeStatusListToken(token.body);
    const bitstring = (await publisher.bitstringCredential(1, 'revocation'))!;

    const cachedOps = await opsPerSecond(() => publisher.token(1));
    let next = BIG / 1000;
    let revokeMs = 0;
    let republishMs = 0;
    let ops = 0;
    const revokeRepublishOps = await opsPerSecond(async () => {
      const id = ids[next++];
      if (id === undefined) throw new Error('bench ran out of credentials to revoke');
      const t1 = performance.now();
      await revokeCredential(ctx, id, 'admin', 'bench');
      const t2 = performance.now();
      await publisher.token(1);
      revokeMs += t2 - t1;
      republishMs += performance.now() - t2;
      ops++;
    });
    const round = (x: number) => Math.round(x * 10) / 10;
    return [
      {
        suite: 'status',
        name: 'token size, 1,000,000 entries x 2 bits, 0.1 % revoked',
        opsPerSec: 0,
        extra: {
          tokenBytes: token.body.length,
          rawListBytes: lst.list.data.byteLength,
          w3cRevocationVcBytes: bitstring.body.length,
          firstPublishMs: Math.round(firstPublishMs),
        },
      },
      {
        suite: 'status',
        name: 'revoke + republish (1,000,000-entry list: committed change, then delta, DEFLATE, sign)',
        opsPerSec: revokeRepublishOps,
        ratios: { vsCachedServe: ratio(revokeRepublishOps, cachedOps) },
        extra: { msPerOp: round(1000 / revokeRepublishOps), revokeCommitMs: round(revokeMs / ops), republishMs: round(republishMs / ops) },
      },
      { suite: 'status', name: 'serve unchanged token (version check, cache hit)', opsPerSec: cachedOps },
    ];
  });
}

/** Index allocation: inside one transaction (what a mint adds) and as its own committed transaction. */
async function allocation(): Promise<BenchRow[]> {
  return withIssuer(131072, async (ctx) => {
    let n = 0;
    const inTx = await writeTransaction(ctx.dataSource, (tx) => opsPerSecond(() => allocateStatus(ctx, tx, `a-${n++}`)));
    const committed = await opsPerSecond(() => writeTransaction(ctx.dataSource, (tx) => allocateStatus(ctx, tx, `c-${n++}`)));
    return [
      { suite: 'status', name: 'allocate status index (inside a transaction)', opsPerSec: inTx },
      { suite: 'status', name: 'allocate status index (own committed transaction)', opsPerSec: committed, ratios: { vsInTransaction: ratio(committed, inTx) } },
    ];
  });
}

/** issueCredential (status allocated) against the same mint and record without a status entry. */
async function mintWithAndWithoutStatus(): Promise<BenchRow[]> {
  return withIssuer(131072, async (ctx) => {
    const holderJwk = publicJwkOf(generateKeyPairSync('ed25519').privateKey);
    const holderDid = didKeyFromJwk(holderJwk);
    const base = sampleIdentityClaims();
    let n = 0;
    const nextClaims = () => {
      n++;
      return { ...base, id_number: makeIdNumber(String(110000 + (n % 880000)), base.birthdate, 2 * (Math.floor(n / 880000) % 500)) };
    };
    // issueCredential step by step (issuer/issuance/issue.ts) minus allocateStatus: the mint of
    // "Foundation" with the same validation, holder key resolution, signing, record and re-issue check.
    const mintWithoutStatus = async () => {
      const claims = validateIdentityClaims(nextClaims());
      const { jwk } = await resolvePublicKey(ctx.resolver, holderDid);
      const id = randomUUID();
      const ref = subjectRef(ctx, claims.id_number);
      const iat = Math.floor(Date.now() / 1000);
      const exp = iat + ctx.config.credentialTtlSeconds;
      return writeTransaction(ctx.dataSource, async (tx) => {
        const credential = await mintIdentitySdJwtVc({ issuerDid: ctx.issuerDid, signer: ctx.signer, claims, holderDid, holderJwk: jwk, iat, exp });
        await insertIssuanceRecord(tx, {
          id,
          vct: RESIDENT_IDENTITY_VCT,
          format: 'dc+sd-jwt',
          subjectRef: ref,
          holderDid,
          holderThumbprint: jwkThumbprint(jwk),
          issuedAt: iat,
          expiresAt: exp,
        });
        await supersedeEarlier(tx, RESIDENT_IDENTITY_VCT, ref, id);
        return credential;
      });
    };
    await issueCredential(ctx, { holderDid, claims: nextClaims() });
    await mintWithoutStatus();
    const [withStatus = 0, withoutStatus = 0] = await bestOfInterleaved([() => issueCredential(ctx, { holderDid, claims: nextClaims() }), mintWithoutStatus]);
    return [
      { suite: 'status', name: 'mint dc+sd-jwt without status entry, record in a TypeORM transaction (baseline)', opsPerSec: withoutStatus },
      // Since the group commit writes a lone issuance in one exec (one-exec-commit.ts), the full
      // issuance with its status entry is faster than this baseline's statement-by-statement transaction.
      {
        suite: 'status',
        name: 'issueCredential dc+sd-jwt with status allocation (one request at a time)',
        opsPerSec: withStatus,
        ratios: { vsWithoutStatus: ratio(withStatus, withoutStatus) },
      },
    ];
  });
}

/** Status lists: publishing cost on a 1,000,000-entry list, allocation rate, cost of status in minting. */
export const statusSuite: BenchSuite = {
  name: 'status',
  async run(): Promise<BenchRow[]> {
    return [...(await bigList()), ...(await allocation()), ...(await mintWithAndWithoutStatus())];
  },
};
