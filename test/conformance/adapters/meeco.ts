import { verifySDJWT } from '@meeco/sd-jwt';
import { createHash } from 'node:crypto';
import type { LoadedCase } from '../../../conformance/index.js';
import { presentationOf, verdictOf, verifyWithJwk, type PeerAdapter } from './common.js';

const hashers: Record<string, string> = { 'sha-256': 'sha256', 'sha-384': 'sha384', 'sha-512': 'sha512' };

/**
 * @meeco/sd-jwt's verifySDJWT: its callbacks check the issuer signature with the case's key and
 * the KB-JWT's signature with the holder key it passes; nothing else is added (nonce, aud,
 * sd_hash, times and status are whatever the library checks itself).
 */
export const meecoAdapter: PeerAdapter = {
  name: '@meeco/sd-jwt',
  verify: (c: LoadedCase) =>
    verdictOf(async () => {
      const issuerJwk = c.file.keys.issuer_jwk;
      const sig = (jwt: string): [string, string] => [jwt.slice(0, jwt.lastIndexOf('.')), jwt.slice(jwt.lastIndexOf('.') + 1)];
      await verifySDJWT(
        presentationOf(c),
        async (jwt: string) => verifyWithJwk(issuerJwk, ...sig(jwt)),
        async (alg: string) => {
          const name = hashers[alg];
          if (!name) throw new Error(`unsupported _sd_alg ${alg}`);
          return (data: string) => createHash(name).update(data).digest('base64url');
        },
        { kb: { verifier: async (kbJwt: string, holderJwk: unknown) => verifyWithJwk(holderJwk, ...sig(kbJwt)) } },
      );
    }),
};
