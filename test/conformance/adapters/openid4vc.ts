import { decodeJwt, jwtSignerFromJwt, verifyJwt, type Jwk, type JwtSigner } from '@openid4vc/oauth2';
import { SDJwtInstance } from '@sd-jwt/core';
import { DcqlPresentationResult, DcqlQuery } from 'dcql';
import type { LoadedCase } from '../../../conformance/index.js';
import { compactOf, presentationOf, hasher, verdictOf, verifyWithJwk, type PeerAdapter } from './common.js';

/**
 * The independent OpenID4VP relying party of the interop tests (test/oid4vp/peer-relying-party.ts):
 * @openid4vc/oauth2 finds the issuer's signer (jwtSignerFromJwt) and checks both JWTs
 * (verifyJwt: signature, times, iss, aud, nonce), @sd-jwt/core processes the disclosures and
 * sd_hash, dcql matches the credential's vct. The stack has no status list check.
 */
export const openid4vcAdapter: PeerAdapter = {
  name: '@openid4vc 0.4.6 + @sd-jwt/core + dcql',
  verify: (c: LoadedCase) =>
    verdictOf(async () => {
      const f = c.file;
      const now = new Date(f.params.now_epoch * 1000);
      const presentation = compactOf(presentationOf(c));
      const parts = presentation.split('~');
      // The relying party's resolver: a did:jwk has one key, #0; any other DID URL resolves to nothing.
      const callback = (jwk: unknown) => async (signer: JwtSigner, jwt: { compact: string }) => {
        if (signer.method === 'did' && signer.didUrl !== `${f.keys.issuer_did}#0`) return { verified: false as const };
        const i = jwt.compact.lastIndexOf('.');
        return verifyWithJwk(jwk, jwt.compact.slice(0, i), jwt.compact.slice(i + 1))
          ? { verified: true as const, signerJwk: jwk as Jwk }
          : { verified: false as const };
      };
      const issuerJwt = decodeJwt({ jwt: parts[0]! });
      const signer = jwtSignerFromJwt({ ...issuerJwt, allowedSignerMethods: ['did', 'jwk', 'x5c'] });
      await verifyJwt({
        compact: parts[0]!,
        header: issuerJwt.header,
        payload: issuerJwt.payload,
        signer,
        now,
        allowedSkewInSeconds: 60,
        expectedIssuer: f.keys.issuer_did,
        verifyJwtCallback: callback(f.keys.issuer_jwk),
      });
      const last = parts[parts.length - 1]!;
      if (last === '') throw new Error('key binding required: no KB-JWT');
      const kb = decodeJwt({ jwt: last });
      const cnf = (issuerJwt.payload as { cnf?: { jwk?: Jwk } }).cnf?.jwk;
      if (!cnf) throw new Error('no cnf.jwk');
      await verifyJwt({
        compact: last,
        header: kb.header,
        payload: kb.payload,
        signer: { method: 'jwk', publicJwk: cnf, alg: String(kb.header.alg) },
        now,
        allowedSkewInSeconds: 60,
        expectedAudience: f.params.aud,
        expectedNonce: f.params.nonce,
        requiredClaims: ['iat', 'sd_hash'],
        verifyJwtCallback: callback(cnf),
      });
      const sdJwt = new SDJwtInstance<Record<string, unknown>>({
        hasher: hasher,
        verifier: (data: string, sig: string) => verifyWithJwk(f.keys.issuer_jwk, data, sig),
        kbVerifier: (data: string, sig: string) => verifyWithJwk(cnf, data, sig),
      });
      const verified = await sdJwt.verify(presentation, { keyBindingNonce: f.params.nonce, currentDate: f.params.now_epoch, skewSeconds: 60 });
      const claims = verified.payload as Record<string, unknown>;
      const query = DcqlQuery.parse({ credentials: [{ id: 'c', format: 'dc+sd-jwt', meta: { vct_values: [String(claims.vct)] } }] });
      DcqlQuery.validate(query);
      const result = DcqlPresentationResult.fromDcqlPresentation(
        { c: { credential_format: 'dc+sd-jwt', vct: claims.vct as string, claims: claims as never, cryptographic_holder_binding: true } },
        { dcqlQuery: query },
      );
      if (!result.can_be_satisfied) throw new Error('the DCQL query is not satisfied');
    }),
};
