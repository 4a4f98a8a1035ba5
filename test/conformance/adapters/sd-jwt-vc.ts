import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import type { LoadedCase } from '../../../conformance/index.js';
import { compactOf, presentationOf, hasher, statusListOf, verdictOf, verifyWithJwk, type PeerAdapter } from './common.js';

/**
 * @sd-jwt/sd-jwt-vc 0.19 as a relying party configures it: issuer signatures with the case's
 * issuer key, the KB-JWT with cnf.jwk, the nonce, "now", status lists from the case's folder.
 */
export const sdJwtVcAdapter: PeerAdapter = {
  name: '@sd-jwt/sd-jwt-vc 0.19',
  verify: (c: LoadedCase) =>
    verdictOf(async () => {
      const issuerJwk = c.file.keys.issuer_jwk;
      const sdjwt = new SDJwtVcInstance({
        hasher: hasher,
        verifier: (data: string, sig: string) => verifyWithJwk(issuerJwk, data, sig),
        kbVerifier: (data: string, sig: string, payload: Record<string, unknown>) => verifyWithJwk((payload.cnf as { jwk: unknown }).jwk, data, sig),
        statusListFetcher: async (uri: string) => statusListOf(c, uri),
      });
      const verified = await sdjwt.verify(compactOf(presentationOf(c)), {
        keyBindingNonce: c.file.params.nonce,
        currentDate: c.file.params.now_epoch,
        skewSeconds: 60,
      });
      // The library checks the nonce; the audience is the relying party's to compare.
      const aud = (verified.kb as { payload?: { aud?: unknown } } | undefined)?.payload?.aud;
      if (c.file.policy.key_binding_required && !verified.kb) throw new Error('no key binding');
      if (verified.kb && aud !== c.file.params.aud) throw new Error(`KB-JWT aud ${String(aud)}`);
    }),
};
