import type { X509Certificate } from 'node:crypto';
import type { Resolver } from 'did-resolver';
import { isNetcredError } from '../../core/errors.js';
import { encryptEcdhEs } from '../../core/jose/jwe.js';
import { algAccepted } from '../../core/oid4vp/client-metadata.js';
import { createPresentation, type DisclosurePlan } from '../present/create.js';
import type { Wallet } from '../wallet.js';
import { oid4vpError } from './errors.js';
import { boundedExchange, type FetchLike } from './http.js';
import { resolveRequest } from './resolve-request.js';
import type { ResolvedRequest } from './validate-request.js';
import { assertJsonDepth } from '../../core/encoding/json.js';

/** What RespondOptions.confirm is shown: the resolved request (who asks, why) and what would be disclosed. */
export type ResponseSummary = { request: ResolvedRequest; plan: DisclosurePlan[] };

/** How respondToRequest answers an OpenID4VP request: the confirmation, fetch, DID resolver, trusted verifier roots, timeout. */
export type RespondOptions = {
  /**
   * Shown what would be disclosed, to whom, before anything is signed; false declines (the
   * verifier is told `access_denied`, CONFIRMATION_DECLINED is thrown). Absent = already confirmed.
   */
  confirm?: (summary: ResponseSummary) => boolean | Promise<boolean>;
  fetch?: FetchLike;
  resolver?: Resolver;
  /** The roots this wallet trusts for verifier certificates (x509_san_dns, x509_hash requests). */
  trustedRoots?: readonly X509Certificate[];
  timeoutMs?: number;
};

/** An answered OpenID4VP request: the request, what was disclosed, the vp_token, the verifier's answer and its redirect. */
export type RespondResult = {
  request: ResolvedRequest;
  plan: DisclosurePlan[];
  /** What was posted: credential query id -> [SD-JWT+KB]. */
  vpToken: Record<string, string[]>;
  /** The verifier's answer (200): `{}` or `{redirect_uri}`. */
  verifierResponse: Record<string, unknown>;
  redirectUri?: string;
};

const MAX_ANSWER_BYTES = 16 * 1024;

/**
 * The answer as the request's response mode wants it: the parameters as a form (direct_post),
 * or all of them (vp_token as a JSON object) in a JWE to the verifier's key, posted as
 * `response` (direct_post.jwt, OpenID4VP 1.0 section 8.3.1).
 */
async function answerForm(request: ResolvedRequest, params: Record<string, unknown>): Promise<URLSearchParams> {
  const withState = request.state !== undefined ? { ...params, state: request.state } : params;
  if (request.responseMode === 'direct_post.jwt') {
    if (!request.encryption) throw oid4vpError('OID4VP_REQUEST_INVALID', 'direct_post.jwt without a key to encrypt to');
    const { key, kid, enc } = request.encryption;
    return new URLSearchParams({ response: await encryptEcdhEs(JSON.stringify(withState), key, { enc, kid }) });
  }
  return new URLSearchParams(Object.entries(withState).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/**
 * The verifier's client_metadata.vp_formats_supported as a filter on credentials (OpenID4VP 1.0
 * section 11.1 and B.3.5): a format it does not list, an issuer signature or a KB-JWT algorithm
 * outside its lists is never sent.
 */
export function acceptedBy(request: ResolvedRequest): (c: { format: string; alg: string; kbAlg: string }) => string | undefined {
  return ({ format, alg, kbAlg }) => {
    const support = (request.vpFormats as Record<string, ResolvedRequest['vpFormats'][keyof ResolvedRequest['vpFormats']] | undefined>)[format];
    if (!support?.supported) return `the verifier lists no ${format} in vp_formats_supported`;
    if (!algAccepted(support.sdJwt, alg)) return `it is signed with ${alg} and the verifier accepts ${support.sdJwt!.join(', ')} (sd-jwt_alg_values)`;
    if (!algAccepted(support.kbJwt, kbAlg))
      return `its key binding would be signed with ${kbAlg} and the verifier accepts ${support.kbJwt!.join(', ')} (kb-jwt_alg_values)`;
    return undefined;
  };
}

async function post(fetchFn: FetchLike, request: ResolvedRequest, form: URLSearchParams, timeoutMs: number) {
  return boundedExchange(
    fetchFn,
    new URL(request.responseUri),
    { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form.toString() },
    { maxBytes: MAX_ANSWER_BYTES, timeoutMs, code: 'OID4VP_RESPONSE_FAILED', what: `POST ${request.responseUri}` },
  );
}

/**
 * Answers an OpenID4VP 1.0 request (`openid4vp://...`): resolves and checks it, builds the
 * presentation with the fewest disclosures that satisfy its DCQL query (KB-JWT aud = client_id,
 * nonce = the request nonce), asks for confirmation, and posts `vp_token` + `state` to the
 * response_uri (direct_post, or encrypted to the verifier's key with direct_post.jwt). The
 * wallet must be unlocked.
 */
export async function respondToRequest(wallet: Wallet, openid4vpUri: string, options: RespondOptions = {}): Promise<RespondResult> {
  wallet.requireKey();
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const request = await resolveRequest(openid4vpUri, {
    fetch: fetchFn,
    resolver: options.resolver,
    trustedRoots: options.trustedRoots,
    timeoutMs,
    now: wallet.now(),
  });
  const confirm = options.confirm;
  let result;
  try {
    result = await createPresentation(wallet, {
      dcql: request.dcql,
      aud: request.clientId,
      nonce: request.nonce,
      accepts: acceptedBy(request),
      ...(confirm ? { confirm: (plan: DisclosurePlan[]) => confirm({ request, plan }) } : {}),
    });
  } catch (err) {
    if (isNetcredError(err, 'CONFIRMATION_DECLINED')) {
      // Tell the verifier (section 8.5) so its kiosk does not wait for the request to expire.
      const form = await answerForm(request, { error: 'access_denied', error_description: 'the holder declined' });
      await post(fetchFn, request, form, timeoutMs).catch(() => undefined);
    }
    throw err;
  }
  const res = await post(fetchFn, request, await answerForm(request, { vp_token: result.vpToken }), timeoutMs);
  let body: Record<string, unknown> = {};
  assertJsonDepth(res.text, "the verifier's answer");
  try {
    const parsed = res.text ? (JSON.parse(res.text) as unknown) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    body = {};
  }
  if (res.status < 200 || res.status >= 300) {
    const str = (v: unknown): string | undefined => (typeof v === 'string' ? v.replace(/[\u0000-\u001f]/g, ' ').slice(0, 300) : undefined);
    const error = str(body.error) ?? `http_${res.status}`;
    const description = str(body.error_description);
    const code = str(body.code);
    throw oid4vpError('OID4VP_RESPONSE_REFUSED', `the verifier refused the presentation: ${error}${description ? `: ${description}` : ''}`, {
      details: [{ path: 'error', message: error }, ...(code ? [{ path: 'code', message: code }] : []), { path: 'http_status', message: String(res.status) }],
    });
  }
  const redirectUri = typeof body.redirect_uri === 'string' ? body.redirect_uri : undefined;
  return { request, plan: result.plan, vpToken: result.vpToken, verifierResponse: body, ...(redirectUri ? { redirectUri } : {}) };
}
