import { parseJsonBounded } from '../../core/encoding/json.js';
import { isNetcredError } from '../../core/errors.js';
import { decryptEcdhEs, jweHeaderOf, JweError } from '../../core/jose/jwe.js';
import { handleAuthorizationResponse, type ResponseContext, type ResponseResult } from './handle-response.js';

/** The decrypted answer is a small JSON object: vp_token (bounded on its own), state, or an error. */
const MAX_PLAINTEXT_BYTES = 256 * 1024;

function refuse(description: string, code: string): ResponseResult {
  return { status: 400, body: { error: 'invalid_request', error_description: description, code } };
}

const text = (v: unknown, max: number): string | undefined => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined);

/**
 * The response endpoint for both response modes. `direct_post.jwt` (OpenID4VP 1.0 section
 * 8.3.1) posts `response`: a JWE whose `kid` names the request it answers (its ephemeral key),
 * decrypted with that key, ECDH-ES and one of the encs it offered; inside, `state` and
 * `vp_token` are then checked exactly as a `direct_post` form. A JWE that does not decrypt, or
 * carries another request's state, is refused and consumes nothing (anyone can post one). A
 * plain vp_token for a request that asked for encryption is refused and final for its state,
 * like any other answer to it; a plain `error` stays allowed (section 8.3.1).
 */
export async function handleResponseForm(ctx: ResponseContext, form: Record<string, unknown>): Promise<ResponseResult> {
  if (form.response !== undefined) return handleEncrypted(ctx, form);
  const now = ctx.now ?? Date.now;
  const state = text(form.state, 256);
  if (state !== undefined && form.error === undefined && (await ctx.store.byState(state, now()))?.request.responseMode === 'direct_post.jwt') {
    const claim = await ctx.store.claim(state, now());
    if (claim.ok) {
      const message = 'this request asked for an encrypted response (direct_post.jwt); the presentation was sent in the clear';
      const verdict = await ctx.store.settle(claim.entry, { valid: false, code: 'RESPONSE_ENCRYPTION_REQUIRED', message });
      return { ...refuse(message, 'RESPONSE_ENCRYPTION_REQUIRED'), verdict };
    }
  }
  return handleAuthorizationResponse(ctx, form);
}

async function handleEncrypted(ctx: ResponseContext, form: Record<string, unknown>): Promise<ResponseResult> {
  const now = ctx.now ?? Date.now;
  if (form.vp_token !== undefined || form.state !== undefined)
    return refuse('an encrypted response carries vp_token and state inside the JWE only', 'JWE_INVALID');
  let kid: string | undefined;
  try {
    kid = text(jweHeaderOf(form.response).kid, 256);
  } catch (err) {
    if (err instanceof JweError) return refuse(err.message, err.code);
    throw err;
  }
  const entry = kid === undefined ? undefined : await ctx.store.byId(kid, now());
  const key = entry?.request.responseKey;
  if (!entry || !key || key.kid !== kid)
    return refuse('the JWE kid names no open request of this verifier that asked for an encrypted response', 'JWE_INVALID');

  let plaintext: Uint8Array;
  try {
    ({ plaintext } = await decryptEcdhEs(form.response, key.privateKey, { encs: key.encs, kid: key.kid }));
  } catch (err) {
    if (err instanceof JweError) return refuse(err.message, err.code);
    throw err;
  }
  let payload: unknown;
  try {
    payload = parseJsonBounded(
      Buffer.from(plaintext).toString('utf8'),
      'the decrypted response',
      () => new JweError('JWE_INVALID', 'the decrypted response is not JSON'),
      { maxBytes: MAX_PLAINTEXT_BYTES },
    );
  } catch (err) {
    if (isNetcredError(err)) return refuse(err.message, err.code);
    throw err;
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return refuse('the decrypted response is not a JSON object', 'JWE_INVALID');
  const p = payload as Record<string, unknown>;
  // The key was made for one request: its answer must carry that request's state.
  if (p.state !== entry.request.state) return refuse('the encrypted response carries another state than the request its key was made for', 'JWE_INVALID');
  const inner: Record<string, unknown> = { state: p.state };
  if (p.vp_token !== undefined) inner.vp_token = typeof p.vp_token === 'string' ? p.vp_token : JSON.stringify(p.vp_token);
  if (p.error !== undefined) inner.error = p.error;
  if (p.error_description !== undefined) inner.error_description = p.error_description;
  return handleAuthorizationResponse(ctx, inner);
}
