import type { Verifier } from '../verify.js';
import type { PresentationVerifier } from './handle-response.js';

/**
 * The offline pipeline as the OpenID4VP response endpoint uses it: the KB-JWT must carry this
 * request's nonce and the client_id as aud. The profile is enforced by the request's own DCQL
 * query (unsatisfiedClaim), so the pipeline is not asked to consume the nonce from its
 * NonceStore: the request nonce is already single use, bound to a state consumed on answer.
 */
export function pipelineVerifier(verifier: Pick<Verifier, 'verify'>): PresentationVerifier {
  return async (presentation, { nonce, aud }) => {
    const r = await verifier.verify(presentation, { nonce, aud });
    return {
      valid: r.valid,
      ...(r.code ? { code: r.code } : {}),
      ...(r.message ? { message: r.message } : {}),
      ...(r.issuer ? { issuer: r.issuer } : {}),
      ...(r.vct ? { vct: r.vct } : {}),
      claims: r.claims,
      status: r.status,
    };
  };
}
