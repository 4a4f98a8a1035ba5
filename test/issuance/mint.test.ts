import { createHash } from 'node:crypto';
import { verifySDJWT } from '@meeco/sd-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  b64uDecode,
  b64uEncode,
  createDidResolver,
  decodeCompact,
  decodeSdJwt,
  jwkThumbprint,
  parseSdJwt,
  resolvePublicKey,
  sdDigest,
  verifyCompact,
  type Disclosure,
} from '../../core/index.js';
import { credentialStatus, findIssuanceRecords, issueCredential, type IssuedCredential, type IssuerContext } from '../../issuer/index.js';
import { RESIDENT_IDENTITY_VCT, sampleIdentityClaims, validateIdentityClaims } from '../../schemas/index.js';
import { newHolder, type Holder } from './fixtures.js';
import { initTestIssuer } from '../helpers/issuer.js';

/** Every digest occurrence (payload and disclosures), with duplicates kept. */
function digestOccurrences(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const el of value) {
      if (el && typeof el === 'object' && !Array.isArray(el) && '...' in el) out.push((el as Record<string, string>)['...']!);
      else digestOccurrences(el, out);
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '_sd') out.push(...(v as string[]));
      else digestOccurrences(v, out);
    }
  }
  return out;
}

function sdArrays(value: unknown, out: string[][] = []): string[][] {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '_sd') out.push(v as string[]);
      else sdArrays(v, out);
    }
  }
  return out;
}

let ctx: IssuerContext;
let cleanup: () => Promise<void>;
let holder: Holder;
let issued: IssuedCredential;
const claims = sampleIdentityClaims();

beforeAll(async () => {
  ({ ctx, close: cleanup } = await initTestIssuer());
  holder = newHolder();
  issued = await issueCredential(ctx, { holderDid: holder.did, claims });
});
afterAll(async () => cleanup());

describe('minted dc+sd-jwt identity credential', () => {
  it('has the SD-JWT VC header and clear claims, signed by the key of the issuer DID', async () => {
    const { jwt } = parseSdJwt(issued.credential);
    const { header, payload } = decodeCompact(jwt);
    expect(header.typ).toBe('dc+sd-jwt');
    expect(header.alg).toBe('EdDSA');
    expect(payload.iss).toBe(ctx.issuerDid);
    expect(header.kid).toMatch(new RegExp(`^${ctx.issuerDid}#`));
    expect(payload.vct).toBe(RESIDENT_IDENTITY_VCT);
    expect(payload._sd_alg).toBe('sha-256');
    expect(payload.iat).toBe(issued.issuedAt);
    expect(payload.exp).toBe(issued.expiresAt);
    expect(payload.exp as number).toBeGreaterThan(payload.iat as number);
    // Independent resolution of the issuer DID (offline did:key), then the signature.
    const { key } = await resolvePublicKey(createDidResolver(), payload.iss as string, header.kid);
    expect(() => verifyCompact(jwt, key, { typ: 'dc+sd-jwt' })).not.toThrow();
    // A well-formed payload with one claim changed, under the original signature.
    const [h, , s] = jwt.split('.');
    const tampered = `${h}.${b64uEncode(JSON.stringify({ ...payload, exp: (payload.exp as number) + 1 }))}.${s}`;
    expect(() => verifyCompact(tampered, key)).toThrow(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
  });

  it('binds the holder key: cnf.jwk equals the key of the holder DID', () => {
    const { payload } = decodeCompact(parseSdJwt(issued.credential).jwt);
    expect((payload.cnf as { jwk: unknown }).jwk).toEqual(holder.jwk);
    expect(issued.holderThumbprint).toBe(jwkThumbprint(holder.jwk));
  });

  it('references every disclosure exactly once, keeps reserved claims in the clear, sorts _sd, uses 128-bit salts and decoys', () => {
    const { jwt, disclosures } = parseSdJwt(issued.credential);
    const { payload } = decodeCompact(jwt);
    const occurrences = digestOccurrences([payload, ...disclosures.map((d) => d.value)]);
    for (const d of disclosures) expect(occurrences.filter((x) => x === sdDigest(d.encoded)).length).toBe(1);
    expect(new Set(occurrences).size).toBe(occurrences.length);
    const names = disclosures.map((d: Disclosure) => d.name);
    for (const forbidden of ['iss', 'exp', 'cnf', 'vct', 'status', 'nbf', 'iat', '_sd', '...']) expect(names).not.toContain(forbidden);
    for (const [k] of Object.entries(claims)) expect(Object.hasOwn(payload, k)).toBe(false);
    expect(names).toEqual(expect.arrayContaining(['sub', ...Object.keys(claims), 'formatted', 'region', 'locality', 'street_address', 'postal_code']));
    const arrays = sdArrays([payload, ...disclosures.map((d) => d.value)]);
    expect(arrays.length).toBe(2); // top level and address
    for (const arr of arrays) expect(arr).toEqual([...arr].sort());
    for (const d of disclosures) expect(b64uDecode(d.salt).length).toBeGreaterThanOrEqual(16);
    expect(new Set(disclosures.map((d) => d.salt)).size).toBe(disclosures.length);
    // Decoys: more digests than disclosures at each level.
    const topDisclosed = disclosures.filter((d) => ['sub', ...Object.keys(claims)].includes(d.name!)).length;
    expect((payload._sd as string[]).length).toBeGreaterThan(topDisclosed);
    expect(occurrences.length).toBeGreaterThan(disclosures.length + 2);
  });

  it('is decoded by @meeco/sd-jwt to the same claims', async () => {
    const { key } = await resolvePublicKey(createDidResolver(), ctx.issuerDid, decodeCompact(parseSdJwt(issued.credential).jwt).header.kid);
    const verifier = async (jwt: string) => {
      verifyCompact(jwt, key);
      return true;
    };
    const getHasher = async (alg: string) => {
      expect(alg).toBe('sha-256');
      return (data: string) => createHash('sha256').update(data).digest('base64url');
    };
    const result = (await verifySDJWT(issued.credential, verifier, getHasher)) as Record<string, unknown>;
    const expected = validateIdentityClaims(claims);
    for (const [k, v] of Object.entries(expected)) expect(result[k]).toEqual(v);
    expect(result.sub).toBe(holder.did);
    expect(result.vct).toBe(RESIDENT_IDENTITY_VCT);
    expect(result.status).toEqual(issued.status?.tokenStatus);
    // And our own decoder agrees.
    const ours = decodeSdJwt(issued.credential);
    expect(ours.problems).toEqual([]);
    expect(ours.claims).toEqual(result);
  });

  it('carries the status entry allocated in the issuance transaction, never disclosable', async () => {
    const { payload } = decodeCompact(parseSdJwt(issued.credential).jwt);
    // The committed status record of this credential, read back from the issuer's store.
    const record = await credentialStatus(ctx, issued.id);
    expect(record).toMatchObject({ credentialId: issued.id, status: 'valid' });
    expect(payload.status).toEqual({ status_list: { idx: record.idx, uri: record.uri } });
    expect(issued.status?.tokenStatus).toEqual(payload.status);
    expect(parseSdJwt(issued.credential).disclosures.map((d) => d.name)).not.toContain('status');
  });

  it('keeps an issuance record without any claim value', async () => {
    const [record, ...rest] = await findIssuanceRecords(ctx, { id: issued.id });
    expect(rest).toEqual([]);
    expect(record).toMatchObject({
      id: issued.id,
      vct: RESIDENT_IDENTITY_VCT,
      format: 'dc+sd-jwt',
      holderDid: holder.did,
      holderThumbprint: jwkThumbprint(holder.jwk),
      issuedAt: issued.issuedAt,
      expiresAt: issued.expiresAt,
      supersededBy: null,
    });
    expect(record!.subjectRef).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const raw = JSON.stringify(await ctx.dataSource.query('SELECT * FROM "issuance_record"'));
    for (const v of [claims.id_number, claims.given_name, claims.family_name, claims.birthdate, claims.address.postal_code]) expect(raw).not.toContain(v);
    expect(await findIssuanceRecords(ctx, { holderThumbprint: jwkThumbprint(holder.jwk) })).toHaveLength(1);
    expect(await findIssuanceRecords(ctx, { holderDid: 'did:key:z6MkNobody' })).toEqual([]);
  });

  it('supersedes the earlier credential of the same person on re-issue, also to a new device key', async () => {
    const other = newHolder('p256');
    const unrelated = await issueCredential(ctx, { holderDid: other.did, claims: sampleIdentityClaims({ sex: 1 }) });
    const reissued = await issueCredential(ctx, { holderDid: other.did, claims });
    const [first] = await findIssuanceRecords(ctx, { id: issued.id });
    expect(first!.supersededBy).toBe(reissued.id);
    const [stillCurrent] = await findIssuanceRecords(ctx, { id: unrelated.id });
    expect(stillCurrent!.supersededBy).toBeNull();
    const { payload } = decodeCompact(parseSdJwt(reissued.credential).jwt);
    expect((payload.cnf as { jwk: unknown }).jwk).toEqual(other.jwk);
    expect(await findIssuanceRecords(ctx, { holderDid: other.did })).toHaveLength(2);
    // The status module revoked the superseded credential in the same transaction.
    expect((await credentialStatus(ctx, issued.id)).status).toBe('revoked');
    expect((await credentialStatus(ctx, reissued.id)).status).toBe('valid');
    expect((await credentialStatus(ctx, unrelated.id)).status).toBe('valid');
  });
});

describe('holder given as a DID URL', () => {
  it('binds the named key and records the DID without the fragment', async () => {
    const h = newHolder('p256');
    const kidUrl = `${h.did}#${h.did.slice('did:key:'.length)}`;
    const out = await issueCredential(ctx, { holderDid: kidUrl, claims: sampleIdentityClaims({ birthdate: '1970-01-01' }) });
    expect(out.holderDid).toBe(h.did);
    const decoded = decodeSdJwt(out.credential);
    expect(decoded.claims.sub).toBe(h.did);
    expect((decoded.payload.cnf as { jwk: unknown }).jwk).toEqual(h.jwk);
    expect((await findIssuanceRecords(ctx, { holderDid: h.did })).map((r) => r.id)).toEqual([out.id]);
    await expect(issueCredential(ctx, { holderDid: `${h.did}#other`, claims: sampleIdentityClaims() })).rejects.toMatchObject({ code: 'KID_MISMATCH' });
  });
});

describe('issuance records', () => {
  it('may supersede before inserting the new record in one transaction (checked at commit)', async () => {
    // Internals on purpose: the order of the two writes inside one transaction is what is tested.
    const { insertIssuanceRecord, supersedeEarlier } = await import('../../issuer/issuance/records.js');
    const base = {
      vct: RESIDENT_IDENTITY_VCT,
      format: 'dc+sd-jwt' as const,
      subjectRef: 'ref-x',
      holderDid: 'did:example:h',
      holderThumbprint: 't',
      issuedAt: 1,
      expiresAt: 2,
    };
    await ctx.dataSource.transaction((tx) => insertIssuanceRecord(tx, { ...base, id: 'old-1' }));
    await ctx.dataSource.transaction(async (tx) => {
      expect(await supersedeEarlier(tx, RESIDENT_IDENTITY_VCT, 'ref-x', 'new-1')).toEqual(['old-1']);
      await insertIssuanceRecord(tx, { ...base, id: 'new-1' });
    });
    expect((await findIssuanceRecords(ctx, { id: 'old-1' }))[0]!.supersededBy).toBe('new-1');
    // A dangling reference is refused at commit.
    await expect(ctx.dataSource.transaction((tx) => supersedeEarlier(tx, RESIDENT_IDENTITY_VCT, 'ref-x', 'never-inserted'))).rejects.toThrow(/FOREIGN KEY/);
    expect((await findIssuanceRecords(ctx, { id: 'new-1' }))[0]!.supersededBy).toBeNull();
  });
});
