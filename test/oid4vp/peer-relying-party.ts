import { createHash, createPublicKey, verify as nodeVerify, type JsonWebKey } from 'node:crypto';
import { SDJwtInstance } from '@sd-jwt/core';
import { DcqlPresentationResult, DcqlQuery } from 'dcql';

/**
 * The independent relying party's checks of a DCQL answer, shared by the interop tests: the
 * SD-JWT+KB verified by @sd-jwt/core (signatures by node:crypto), the query by dcql. Nothing of ours.
 */

export function verifyWithJwk(jwk: Record<string, unknown>, data: string, sigB64u: string): boolean {
  const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  const ec = jwk.kty === 'EC';
  return nodeVerify(ec ? 'sha256' : null, Buffer.from(data), ec ? { key, dsaEncoding: 'ieee-p1363' } : key, Buffer.from(sigB64u, 'base64url'));
}

export type DcqlAnswerCheck = { nonceOk: boolean; audOk: boolean; claimNames: string[]; satisfied: boolean; result: DcqlPresentationResult };

/** Verifies each presented SD-JWT+KB (issuer key, holder key from cnf, nonce, aud) and whether the answers satisfy the query. */
export async function checkDcqlAnswer(
  dcql: { query?: unknown; presentations: Record<string, unknown> },
  expected: { nonce: string; clientId: unknown; issuerJwk: Record<string, unknown> },
): Promise<DcqlAnswerCheck> {
  const query = DcqlQuery.parse(dcql.query as DcqlQuery.Input);
  DcqlQuery.validate(query);
  const check = { nonceOk: false, audOk: false, claimNames: [] as string[] };
  const presentations: Parameters<typeof DcqlPresentationResult.fromDcqlPresentation>[0] = {};
  for (const [id, list] of Object.entries(dcql.presentations)) {
    const sdJwt = new SDJwtInstance<Record<string, unknown>>({
      hasher: (data: string | ArrayBuffer) =>
        createHash('sha256')
          .update(typeof data === 'string' ? data : Buffer.from(data))
          .digest(),
      verifier: (data: string, sig: string) => verifyWithJwk(expected.issuerJwk, data, sig),
      kbVerifier: (data: string, sig: string, payload: Record<string, unknown>) =>
        verifyWithJwk((payload.cnf as { jwk: Record<string, unknown> }).jwk, data, sig),
    });
    const verified = await sdJwt.verify((list as unknown[])[0] as string, { keyBindingNonce: expected.nonce });
    check.nonceOk = verified.kb?.payload.nonce === expected.nonce;
    check.audOk = verified.kb?.payload.aud === expected.clientId;
    // The JWT envelope (jti: the credential id, in the clear) is not a disclosed claim.
    const { iss, iat, exp, cnf, vct, status, _sd_alg, jti, ...claims } = verified.payload as Record<string, unknown>;
    void iss, void iat, void exp, void cnf, void status, void _sd_alg, void jti;
    check.claimNames = Object.keys(claims).sort();
    presentations[id] = { credential_format: 'dc+sd-jwt', vct: vct as string, claims: claims as never, cryptographic_holder_binding: true };
  }
  const result = DcqlPresentationResult.fromDcqlPresentation(presentations, { dcqlQuery: query });
  return { ...check, satisfied: result.can_be_satisfied, result };
}
