import { sign as nodeSign } from 'node:crypto';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { describe, expect, it } from 'vitest';
import { generateSalt, sdJwtHasher } from '../../core/index.js';
import { verifyPresentation } from '../../verifier/index.js';
import { AUD, NOW, NOW_S, STATUS_URI, world } from './helpers/fixture.js';

describe('a credential minted directly with @sd-jwt/sd-jwt-vc', () => {
  it('verifies in our pipeline, with key binding, status and the lite profile', async () => {
    const w = await world();
    const signer = (key: typeof w.issuer.priv, ec: boolean) => async (data: string) =>
      nodeSign(ec ? 'sha256' : null, Buffer.from(data), ec ? { key, dsaEncoding: 'ieee-p1363' } : key).toString('base64url');
    const sdjwt = new SDJwtVcInstance({
      signer: signer(w.issuer.priv, false),
      signAlg: 'EdDSA',
      hasher: sdJwtHasher,
      hashAlg: 'sha-256',
      saltGenerator: () => generateSalt(),
      kbSigner: signer(w.holder.priv, true),
      kbSignAlg: 'ES256',
    });
    const credential = await sdjwt.issue(
      {
        iss: w.issuer.did,
        iat: NOW_S - 60,
        exp: NOW_S + 86400,
        vct: 'urn:netcred:vct:resident-identity:1',
        cnf: { jwk: w.holder.pub },
        status: { status_list: { idx: 3, uri: STATUS_URI } },
        given_name: 'Ada',
        family_name: 'Lovelace',
        age_over_18: true,
        birthdate: '1990-03-07',
      },
      { _sd: ['given_name', 'family_name', 'age_over_18', 'birthdate'] },
      { header: { kid: w.issuer.kid, typ: 'dc+sd-jwt' } },
    );
    const presentation = await sdjwt.present(
      credential,
      { given_name: true, family_name: true, age_over_18: true },
      { kb: { payload: { aud: AUD, nonce: 'peer-nonce', iat: NOW_S - 2 } } },
    );
    const r = verifyPresentation(presentation, { trust: w.store, aud: AUD, now: NOW, profile: 'lite' });
    expect(r).toMatchObject({ valid: true, issuer: w.issuer.did, profile: 'lite', status: { value: 0 } });
    expect(r.claims).toMatchObject({ given_name: 'Ada', family_name: 'Lovelace', age_over_18: true });
    expect(r.claims.birthdate).toBeUndefined();
    // and the peer's presentation with a revoked index is refused
    const revoked = await sdjwt.issue(
      {
        iss: w.issuer.did,
        iat: NOW_S - 60,
        vct: 'urn:netcred:vct:resident-identity:1',
        cnf: { jwk: w.holder.pub },
        status: { status_list: { idx: 5, uri: STATUS_URI } },
        given_name: 'Ada',
      },
      { _sd: ['given_name'] },
      { header: { kid: w.issuer.kid, typ: 'dc+sd-jwt' } },
    );
    const rp = await sdjwt.present(revoked, { given_name: true }, { kb: { payload: { aud: AUD, nonce: 'peer-nonce-2', iat: NOW_S - 2 } } });
    expect(verifyPresentation(rp, { trust: w.store, aud: AUD, now: NOW }).code).toBe('STATUS_REVOKED');
  });
});
