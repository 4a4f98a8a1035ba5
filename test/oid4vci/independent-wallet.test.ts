import { createHash, verify as nodeVerify } from 'node:crypto';
import { verifySDJWT } from '@meeco/sd-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCompact, resolvePublicKey } from '../../core/index.js';
import { RESIDENT_IDENTITY_VCT, sampleIdentityClaims } from '../../schemas/index.js';
import { addDidIssuer, emptyTrustBundle, syncIssuer, TrustStore, verifyPresentation, verifySdJwt } from '../../verifier/index.js';
// An internal on purpose: the offer's row is found by the hash stored in place of its code.
import { secretHash } from '../../issuer/oid4vci/secrets.js';
import { countRows, enroll, enrollmentBody, preAuthCodeOf } from './helpers.js';
import { peerKey, peerObtainCredential } from './peer-wallet.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';

/** Verifies an SD-JWT VC with @meeco/sd-jwt, the issuer key taken from the issuer's did:key. */
async function meecoVerify(issuer: TestIssuer, sdJwt: string): Promise<Record<string, unknown>> {
  const { header, payload } = decodeCompact(sdJwt.split('~')[0]!);
  const { key } = await resolvePublicKey(issuer.ctx.resolver, payload.iss as string, header.kid);
  const verifier = async (jwt: string) => {
    const [h, p, s] = jwt.split('.');
    const alg = (JSON.parse(Buffer.from(h!, 'base64url').toString()) as { alg: string }).alg;
    const data = Buffer.from(`${h}.${p}`);
    return alg === 'EdDSA'
      ? nodeVerify(null, data, key, Buffer.from(s!, 'base64url'))
      : nodeVerify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s!, 'base64url'));
  };
  const getHasher = async (alg: string) => {
    expect(alg).toBe('sha-256');
    return (data: string) => createHash('sha256').update(data).digest('base64url');
  };
  return (await verifySDJWT(sdJwt, verifier, getHasher)) as Record<string, unknown>;
}

describe('OpenID4VCI with an independent wallet (@openid4vc/openid4vci + @openid4vc/oauth2)', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(async () => {
    await issuer?.close();
  });

  it('publishes issuer and authorization server metadata the library accepts', async () => {
    const md = (await (await fetch(`${issuer.url}/.well-known/openid-credential-issuer`)).json()) as Record<string, any>;
    expect(md.credential_issuer).toBe(issuer.url);
    expect(md.nonce_endpoint).toBe(`${issuer.url}/oid4vci/nonce`);
    const conf = md.credential_configurations_supported.resident_identity_sd_jwt;
    expect(conf).toMatchObject({ format: 'dc+sd-jwt', vct: RESIDENT_IDENTITY_VCT, credential_signing_alg_values_supported: ['EdDSA'] });
    expect(conf.proof_types_supported.jwt.proof_signing_alg_values_supported).toEqual(['ES256', 'EdDSA']);
    expect(md.credential_configurations_supported.resident_identity_vc_sd_jwt.format).toBe('vc+sd-jwt');
    const as = (await (await fetch(`${issuer.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(as).toMatchObject({ issuer: issuer.url, token_endpoint: `${issuer.url}/oid4vci/token`, 'pre-authorized_grant_anonymous_access_supported': true });
  });

  it('obtains a dc+sd-jwt with pre-authorized code + tx_code, bound to its jwk, verifying in @meeco/sd-jwt', async () => {
    const claims = sampleIdentityClaims();
    const res = await enroll(issuer.url, enrollmentBody(claims, { txCode: true }));
    expect(res.status).toBe(201);
    const { offer, txCode } = (await res.json()) as { offer: string; txCode: string };
    expect(txCode).toMatch(/^\d{6}$/);
    const before = await countRows(issuer.ctx, 'issuance_record');

    const key = peerKey('ES256');
    const [credential, ...rest] = await peerObtainCredential(offer, { txCode, keys: [key] });
    expect(rest).toHaveLength(0);
    expect(await countRows(issuer.ctx, 'issuance_record')).toBe(before + 1);

    const verified = await meecoVerify(issuer, credential!);
    expect(verified.iss).toBe(issuer.ctx.issuerDid);
    expect(verified.vct).toBe(RESIDENT_IDENTITY_VCT);
    expect(verified.given_name).toBe(claims.given_name);
    expect(verified.id_number).toBe(claims.id_number);
    const cnf = (verified.cnf as { jwk: Record<string, string> }).jwk;
    expect({ x: cnf.x, y: cnf.y }).toEqual({ x: key.publicJwk.x, y: key.publicJwk.y });
    // ... and in our verifier's RFC 9901 core, with the issuer key from its DID
    const { header, payload } = decodeCompact(credential!.split('~')[0]!);
    const { key: issuerKey } = await resolvePublicKey(issuer.ctx.resolver, payload.iss as string, header.kid);
    const ours = verifySdJwt(credential!, { issuerKey, keyBinding: { required: false } });
    expect(ours.claims.family_name).toBe(claims.family_name);
    expect(ours.holderJwk?.x).toBe(key.publicJwk.x);
    expect(ours.claims.status).toBeDefined();
    // the claims waiting for the wallet are gone once the credential is out
    const offers = (await issuer.ctx.dataSource.query(`SELECT "state", "claims_sealed" FROM "oid4vci_offer"`)) as {
      state: string;
      claims_sealed: string | null;
    }[];
    expect(offers.at(-1)).toEqual({ state: 'issued', claims_sealed: null });
  });

  it('batch: several proofs give several credentials, each bound to its own key, none revoking another', async () => {
    const res = await enroll(issuer.url, enrollmentBody(sampleIdentityClaims({ birthdate: '1985-11-02' }), { txCode: true }));
    const { offer, txCode } = (await res.json()) as { offer: string; txCode: string };
    const keys = [peerKey('ES256'), peerKey('EdDSA'), peerKey('ES256')];
    const credentials = await peerObtainCredential(offer, { txCode, keys });
    expect(credentials).toHaveLength(3);
    const bound = await Promise.all(credentials.map(async (c) => ((await meecoVerify(issuer, c)).cnf as { jwk: { x: string } }).jwk.x));
    expect(bound).toEqual(keys.map((k) => k.publicJwk.x));
    const records = (await issuer.ctx.dataSource.query(`SELECT "superseded_by" FROM "issuance_record" ORDER BY "issued_at" DESC LIMIT 3`)) as {
      superseded_by: string | null;
    }[];
    expect(records.every((r) => r.superseded_by === null)).toBe(true);
  });

  it('a new enrollment of the same resident supersedes the credentials of the earlier one', async () => {
    const claims = sampleIdentityClaims({ birthdate: '1969-07-20' });
    const idsOf = async (offer: string) => {
      const [row] = (await issuer.ctx.dataSource.query(`SELECT "credential_ids" FROM "oid4vci_offer" WHERE "code_hash" = ?`, [
        secretHash(preAuthCodeOf(offer)),
      ])) as { credential_ids: string }[];
      return JSON.parse(row!.credential_ids) as string[];
    };
    const first = ((await (await enroll(issuer.url, enrollmentBody(claims))).json()) as { offer: string }).offer;
    const firstCreds = await peerObtainCredential(first, { keys: [peerKey(), peerKey()] });
    const second = ((await (await enroll(issuer.url, enrollmentBody(claims))).json()) as { offer: string }).offer;
    const newCreds = await peerObtainCredential(second, { keys: [peerKey()] });
    const [old, now] = [await idsOf(first), await idsOf(second)];
    expect(old).toHaveLength(2);
    const rows = (await issuer.ctx.dataSource.query(`SELECT "id", "superseded_by" FROM "issuance_record" WHERE "id" IN (?, ?, ?)`, [...old, ...now])) as {
      id: string;
      superseded_by: string | null;
    }[];
    const by = Object.fromEntries(rows.map((r) => [r.id, r.superseded_by]));
    expect(by).toEqual({ [old[0]!]: now[0], [old[1]!]: now[0], [now[0]!]: null });

    // our verifier's offline pipeline, with the issuer's status lists synced: the new
    // credential is valid, the superseded ones are revoked
    const { bundle } = await syncIssuer(addDidIssuer(emptyTrustBundle(), issuer.ctx.issuerDid), issuer.url);
    const trust = new TrustStore(bundle);
    const verdict = (c: string) => verifyPresentation(c, { trust, requireKeyBinding: false });
    expect(verdict(newCreds[0]!)).toMatchObject({ valid: true, issuer: issuer.ctx.issuerDid, vct: RESIDENT_IDENTITY_VCT });
    expect(firstCreds.map((c) => verdict(c).code)).toEqual(['STATUS_REVOKED', 'STATUS_REVOKED']);
  });

  it('obtains the vc+sd-jwt (our extension) configuration, offered by reference (credential_offer_uri)', async () => {
    const res = await enroll(issuer.url, enrollmentBody(sampleIdentityClaims({ birthdate: '1979-01-30' }), { format: 'vc+sd-jwt' }));
    const { offerUri } = (await res.json()) as { offerUri: string };
    // by reference this time: the library fetches the offer from credential_offer_uri
    expect(offerUri).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
    const [credential] = await peerObtainCredential(offerUri, { keys: [peerKey('EdDSA')] });
    const { header, payload } = decodeCompact(credential!.split('~')[0]!);
    expect(header.typ).toBe('vc+sd-jwt');
    expect(payload.type).toContain('ResidentIdentityCredential');
    const verified = await meecoVerify(issuer, credential!);
    expect((verified.credentialSubject as Record<string, unknown>).birthdate).toBe('1979-01-30');
  });
});
