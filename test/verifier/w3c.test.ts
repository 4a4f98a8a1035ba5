import { beforeAll, describe, expect, it } from 'vitest';
import { Bitstring, keyObjectSigner, signCompact } from '../../core/index.js';
import { TrustStore, verifyPresentation } from '../../verifier/index.js';
import { AUD, mint, NOW, NOW_S, present, world, type World } from './helpers/fixture.js';

const V2 = 'https://www.w3.org/ns/credentials/v2';
const LIST = 'https://issuer.example/status/w3c/revocation';
let w: World;
let store: TrustStore;

beforeAll(async () => {
  w = await world();
  const bits = new Bitstring(131072);
  bits.set(42, true);
  const listVc = {
    '@context': [V2],
    id: LIST,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: w.issuer.did,
    validFrom: new Date((NOW_S - 600) * 1000).toISOString(),
    credentialSubject: { id: `${LIST}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: bits.encode() },
  };
  const jwt = await signCompact(
    { typ: 'vc+jwt', kid: w.issuer.kid },
    { ...listVc, iss: w.issuer.did, iat: NOW_S - 600 },
    keyObjectSigner(w.issuer.priv, w.issuer.kid),
  );
  store = new TrustStore({
    ...w.bundle,
    statusLists: [
      ...w.bundle.statusLists,
      { uri: LIST, kind: 'bitstring', issuer: w.issuer.did, jwt, fetchedAt: new Date((NOW_S - 600) * 1000).toISOString() },
    ],
  });
});

/** A VCDM 2.0 credential secured as vc+sd-jwt: subject claims selectively disclosable. */
async function w3c(opts: { index?: number; validUntil?: string; issuer?: string; context?: unknown; typ?: string; vct?: boolean } = {}) {
  const payload: Record<string, unknown> = {
    '@context': opts.context ?? [V2],
    type: ['VerifiableCredential', 'ResidentIdentityCredential'],
    issuer: opts.issuer ?? w.issuer.did,
    validFrom: new Date((NOW_S - 3600) * 1000).toISOString(),
    credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: String(opts.index ?? 7), statusListCredential: LIST },
  };
  if (opts.validUntil) payload.validUntil = opts.validUntil;
  if (opts.vct) payload.vct = 'urn:netcred:vct:resident-identity:1';
  // `mint` puts its digests at the top level; the W3C subject gets its own via a nested disclosure object.
  const cred = await mint(w.issuer, {
    typ: opts.typ ?? 'vc+sd-jwt',
    holder: w.holder.pub,
    plain: { ...payload, vct: undefined },
    sd: { credentialSubject: { given_name: 'Ada', family_name: 'Lovelace', age_over_18: true } },
  });
  return present(cred, ['credentialSubject'], w.holder.priv);
}

const run = (p: string) => verifyPresentation(p, { trust: store, aud: AUD, now: NOW, profile: 'lite' });

describe('W3C VCDM 2.0 (vc+sd-jwt) layer', () => {
  it('accepts a valid credential with its bitstring entry', async () => {
    expect(run(await w3c())).toMatchObject({ valid: true, format: 'vc+sd-jwt', vct: 'urn:netcred:vct:resident-identity:1', status: { value: 0 } });
  });

  it('reads the bitstring (index 0 = most significant bit): a set bit is STATUS_REVOKED', async () => {
    expect(run(await w3c({ index: 42 })).code).toBe('STATUS_REVOKED');
    expect(run(await w3c({ index: 43 })).valid).toBe(true);
  });

  it('rejects validUntil in the past (CREDENTIAL_EXPIRED), before the status', async () => {
    expect(run(await w3c({ index: 42, validUntil: new Date((NOW_S - 60) * 1000).toISOString() })).code).toBe('CREDENTIAL_EXPIRED');
  });

  it('rejects an issuer that is not iss (ISSUER_UNTRUSTED) and a missing v2 context (MALFORMED)', async () => {
    expect(run(await w3c({ issuer: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' })).code).toBe('ISSUER_UNTRUSTED');
    expect(run(await w3c({ context: ['https://www.w3.org/2018/credentials/v1'] })).code).toBe('MALFORMED');
  });

  it('rejects the pre-2025 vc+sd-jwt typ on an SD-JWT VC (TYP_INVALID)', async () => {
    const cred = await mint(w.issuer, { typ: 'vc+sd-jwt', holder: w.holder.pub, sd: { given_name: 'A' } });
    expect(run(await present(cred, ['given_name'], w.holder.priv)).code).toBe('TYP_INVALID');
  });
});
