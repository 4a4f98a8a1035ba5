import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64uEncode, decodeCompact, envelope, parseSdJwt, sdDigest, unenvelope, VC_V2_CONTEXT } from '../../core/index.js';
import { issueCredential } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { newHolder } from './fixtures.js';
import { initTestIssuer, type UnservedTestIssuer } from '../helpers/issuer.js';

type Env = { '@context': string[]; type: string; id: string };

let ed: UnservedTestIssuer;
let p256: UnservedTestIssuer;

beforeAll(async () => {
  ed = await initTestIssuer();
  p256 = await initTestIssuer({ alg: 'ES256' });
});
afterAll(async () => {
  await ed.close();
  await p256.close();
});

function subjectCredential(issuer: string, holderDid: string) {
  return {
    '@context': [VC_V2_CONTEXT],
    type: ['VerifiableCredential', 'ExampleMembershipCredential'],
    issuer,
    validUntil: '2099-01-01T00:00:00Z',
    credentialSubject: { id: holderDid, memberOf: 'Quzhou Library', tier: 'gold', address: { locality: '衢州市', postal_code: '324000' } },
  };
}

describe('CredentialProviderVcdm2 through agent.createVerifiableCredential / verifyCredential', () => {
  for (const which of ['EdDSA', 'ES256'] as const) {
    it(`vc+sd-jwt (${which}): an EnvelopedVerifiableCredential that verifies, with subject properties disclosable`, async () => {
      const { ctx } = which === 'EdDSA' ? ed : p256;
      const holder = newHolder();
      const credential = subjectCredential(ctx.issuerDid, holder.did);
      const env = (await ctx.agent.createVerifiableCredential({ credential, proofFormat: 'vc+sd-jwt' as never, cnf: { jwk: holder.jwk } })) as unknown as Env;
      expect(env['@context']).toEqual([VC_V2_CONTEXT]);
      expect(env.type).toBe('EnvelopedVerifiableCredential');
      expect(env.id.startsWith('data:application/vc+sd-jwt,')).toBe(true);
      const token = unenvelope(env)!.token;
      const { jwt, disclosures } = parseSdJwt(token);
      const { header, payload } = decodeCompact(jwt);
      expect(header).toMatchObject({ typ: 'vc+sd-jwt', cty: 'vc', alg: which, kid: expect.stringMatching(new RegExp(`^${ctx.issuerDid}#`)) });
      // The VC itself is the claim set: no `vc` wrapper, no VCDM 1.1 leftovers.
      expect(payload.vc).toBeUndefined();
      expect(payload.issuanceDate).toBeUndefined();
      expect(payload['@context']).toEqual([VC_V2_CONTEXT]);
      expect(payload.type).toEqual(credential.type);
      expect(payload.issuer).toBe(ctx.issuerDid);
      expect(payload.iss).toBe(ctx.issuerDid);
      expect(typeof payload.validFrom).toBe('string');
      expect(payload.exp).toBe(Date.parse('2099-01-01T00:00:00Z') / 1000);
      expect((payload.cnf as { jwk: unknown }).jwk).toEqual(holder.jwk);
      const subject = payload.credentialSubject as Record<string, unknown>;
      expect(Object.keys(subject)).toEqual(['_sd']);
      expect(disclosures.map((d) => d.name).sort()).toEqual(['address', 'id', 'locality', 'memberOf', 'postal_code', 'tier']);

      const result = await ctx.agent.verifyCredential({ credential: env as never });
      expect(result.error).toBeUndefined();
      expect(result.verified).toBe(true);
      expect((result.verifiableCredential as unknown as Record<string, unknown>).credentialSubject).toEqual(credential.credentialSubject);
      // The caller's object is not turned into a VCDM 1.1 credential for the next call either.
      const again = (await ctx.agent.createVerifiableCredential({ credential, proofFormat: 'vc+sd-jwt' as never })) as unknown as Env;
      expect((await ctx.agent.verifyCredential({ credential: again as never })).verified).toBe(true);
    });
  }

  it('vc+jwt: VCDM 2.0 as a plain JWS (typ vc+jwt, cty vc, no vc claim) that verifies', async () => {
    const { ctx } = ed;
    const holder = newHolder();
    const credential = subjectCredential(ctx.issuerDid, holder.did);
    const env = (await ctx.agent.createVerifiableCredential({ credential, proofFormat: 'vc+jwt' as never })) as unknown as Env;
    expect(env.id.startsWith('data:application/vc+jwt,')).toBe(true);
    const { header, payload } = decodeCompact(unenvelope(env)!.token);
    expect(header).toMatchObject({ typ: 'vc+jwt', cty: 'vc', alg: 'EdDSA' });
    expect(payload.vc).toBeUndefined();
    expect(payload.credentialSubject).toEqual(credential.credentialSubject);
    const result = await ctx.agent.verifyCredential({ credential: env as never });
    expect(result.verified).toBe(true);
  });

  it('rejects tampering, a foreign issuer key, expiry and stray disclosures', async () => {
    const { ctx } = ed;
    const holder = newHolder();
    const env = (await ctx.agent.createVerifiableCredential({
      credential: subjectCredential(ctx.issuerDid, holder.did),
      proofFormat: 'vc+sd-jwt' as never,
    })) as unknown as Env;
    const token = unenvelope(env)!.token;
    const { jwt, disclosures } = parseSdJwt(token);
    const [h, , s] = jwt.split('.') as [string, string, string];
    const verify = async (t: string, mediaType: 'vc+sd-jwt' | 'vc+jwt' = 'vc+sd-jwt', policies?: Record<string, unknown>) =>
      ctx.agent.verifyCredential({ credential: envelope(mediaType, t) as never, policies });

    // Payload changed: the signature fails.
    const payload = decodeCompact(jwt).payload;
    const forged = b64uEncode(JSON.stringify({ ...payload, issuer: ctx.issuerDid, type: ['VerifiableCredential', 'Forged'] }));
    expect((await verify(`${h}.${forged}.${s}~${disclosures.map((d) => d.encoded).join('~')}~`)).error?.errorCode).toBe('SIGNATURE_INVALID');
    // Signed by the ES256 issuer but claiming the EdDSA issuer's DID.
    const otherEnv = (await p256.ctx.agent.createVerifiableCredential({
      credential: subjectCredential(p256.ctx.issuerDid, holder.did),
      proofFormat: 'vc+jwt' as never,
    })) as unknown as Env;
    const other = decodeCompact(unenvelope(otherEnv)!.token);
    const swapped = `${b64uEncode(JSON.stringify({ ...other.header, kid: decodeCompact(jwt).header.kid }))}.${b64uEncode(JSON.stringify({ ...other.payload, issuer: ctx.issuerDid, iss: ctx.issuerDid }))}.${other.signature.toString('base64url')}`;
    expect((await verify(swapped, 'vc+jwt')).verified).toBe(false);
    // A disclosure nobody references.
    const stray = b64uEncode(JSON.stringify(['c2FsdHNhbHRzYWx0c2FsdA', 'tier', 'platinum']));
    expect((await verify(`${token}${stray}~`)).error?.errorCode).toBe('DISCLOSURE_UNREFERENCED');
    // The same disclosure twice.
    expect((await verify(`${token}${disclosures[0]!.encoded}~`)).verified).toBe(false);
    // Wrong typ for the media type.
    expect((await verify(unenvelope(otherEnv)!.token, 'vc+sd-jwt')).verified).toBe(false);
    // Expired (validUntil in 2099: verify "in 2100").
    expect((await verify(token, 'vc+sd-jwt', { now: Date.parse('2100-01-01T00:00:00Z') / 1000 })).error?.errorCode).toBe('CREDENTIAL_EXPIRED');
    // The untouched one still verifies; dropping a disclosure only hides that property.
    expect((await verify(token)).verified).toBe(true);
    const tierDigest = sdDigest(disclosures.find((d) => d.name === 'tier')!.encoded);
    const withoutTier = `${jwt}~${disclosures
      .filter((d) => sdDigest(d.encoded) !== tierDigest)
      .map((d) => d.encoded)
      .join('~')}~`;
    const partial = await verify(withoutTier);
    expect(partial.verified).toBe(true);
    expect((partial.verifiableCredential as unknown as { credentialSubject: Record<string, unknown> }).credentialSubject.tier).toBeUndefined();
  });

  it('refuses a VCDM 1.1 credential and an issuer the agent does not manage', async () => {
    const { ctx } = ed;
    const holder = newHolder();
    await expect(
      ctx.agent.createVerifiableCredential({
        credential: { '@context': ['https://www.w3.org/2018/credentials/v1'], issuer: ctx.issuerDid, credentialSubject: { id: holder.did } } as never,
        proofFormat: 'vc+sd-jwt' as never,
      }),
    ).rejects.toThrow(/credentials\/v2/);
    await expect(
      ctx.agent.createVerifiableCredential({ credential: subjectCredential(holder.did, holder.did) as never, proofFormat: 'vc+jwt' as never }),
    ).rejects.toThrow();
  });

  it('issueCredential(format vc+sd-jwt) mints the identity credential through the agent, verifiable by it', async () => {
    const { ctx } = ed;
    const holder = newHolder();
    const issued = await issueCredential(ctx, { holderDid: holder.did, claims: sampleIdentityClaims(), format: 'vc+sd-jwt' });
    expect(issued.format).toBe('vc+sd-jwt');
    const { payload } = decodeCompact(parseSdJwt(issued.credential).jwt);
    expect(payload.type).toEqual(['VerifiableCredential', 'ResidentIdentityCredential']);
    expect((payload.cnf as { jwk: unknown }).jwk).toEqual(holder.jwk);
    const { idx, uri } = issued.status!.tokenStatus.status_list;
    expect(payload.credentialStatus).toEqual([
      {
        id: `${uri}/bitstring/revocation#${idx}`,
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: String(idx),
        statusListCredential: `${uri}/bitstring/revocation`,
      },
      {
        id: `${uri}/bitstring/suspension#${idx}`,
        type: 'BitstringStatusListEntry',
        statusPurpose: 'suspension',
        statusListIndex: String(idx),
        statusListCredential: `${uri}/bitstring/suspension`,
      },
    ]);
    expect(payload.credentialStatus).toEqual(issued.status!.bitstringEntries);
    expect(new Date(payload.validUntil as string).getTime() / 1000).toBe(issued.expiresAt);
    const result = await ctx.agent.verifyCredential({ credential: envelope('vc+sd-jwt', issued.credential) as never, policies: { credentialStatus: false } });
    expect(result.error).toBeUndefined();
    const subject = (result.verifiableCredential as unknown as { credentialSubject: Record<string, unknown> }).credentialSubject;
    expect(subject.id).toBe(holder.did);
    expect(subject.id_number).toBe(sampleIdentityClaims().id_number);
  });
});
