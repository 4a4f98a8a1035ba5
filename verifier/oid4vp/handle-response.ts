import { errorClassOf } from '../../core/errors/codes.js';
import { isNetcredError } from '../../core/errors.js';
import type { ProfileName } from '../../schemas/profiles/index.js';
import { unsatisfiedClaim } from './dcql.js';
import type { ReplayGuardLike } from './replay-guard.js';
import type { RequestEntry, RequestStoreLike } from './request-store.js';
import type { Verdict, VerifiedCredential } from './types.js';
import { kbJwtOf, parseVpToken, VpTokenError } from './vp-token.js';

/** What the offline pipeline says about one presentation (verifier/verify's result, the fields we use). */
export type PresentationOutcome = {
  valid: boolean;
  code?: string;
  message?: string;
  issuer?: string;
  vct?: string;
  claims?: Record<string, unknown>;
  status?: unknown;
};

/** Verifies one SD-JWT+KB with the KB-JWT bound to this request: aud = client_id, nonce = request nonce. */
export type PresentationVerifier = (presentation: string, options: { nonce: string; aud: string; profile?: ProfileName }) => Promise<PresentationOutcome>;

/** The stores may be shared (Redis): every call is awaited, and one that cannot answer throws CACHE_UNAVAILABLE (503). */
export type ResponseContext = { store: RequestStoreLike; replay: ReplayGuardLike; verify: PresentationVerifier; now?: () => number };

/** HTTP answer of the response endpoint, OAuth style. */
export type ResponseResult = { status: number; body: Record<string, unknown>; verdict?: Verdict };

function refuse(description: string, code?: string, verdict?: Verdict): ResponseResult {
  return { status: 400, body: { error: 'invalid_request', error_description: description, ...(code ? { code } : {}) }, ...(verdict ? { verdict } : {}) };
}

const STATE_REASON = {
  unknown: 'unknown state: no such request',
  expired: 'the request for this state has expired',
  used: 'a response for this state was already received',
} as const;

/**
 * The response endpoint's logic (OpenID4VP 1.0 section 8.2, direct_post): find the request by
 * `state` and consume it, parse the DCQL vp_token, verify each presentation offline against the
 * request's nonce and client_id, check the query is satisfied, and record the verdict.
 * Any response for a known state is final: a failed one cannot be retried on the same state.
 */
export async function handleAuthorizationResponse(ctx: ResponseContext, form: Record<string, unknown>): Promise<ResponseResult> {
  const now = ctx.now ?? Date.now;
  const state = form.state;
  if (typeof state !== 'string' || state.length === 0 || state.length > 256) return refuse('state is missing');
  if (form.error !== undefined) return walletError(ctx, state, form, now());
  const claim = await ctx.store.claim(state, now());
  if (!claim.ok) return refuse(STATE_REASON[claim.reason]);
  const entry = claim.entry;
  try {
    return await verifyClaimed(ctx, entry, form, now);
  } catch (err) {
    // A store that failed after the state was taken (CACHE_UNAVAILABLE): the answer is never
    // accepted. Record that as the final verdict if the store is back, and answer 503.
    if (isNetcredError(err) && errorClassOf(err.code) === 'storage') {
      await Promise.resolve()
        .then(() =>
          ctx.store.settle(entry, { valid: false, code: err.code, message: 'the verifier could not check this answer for replay (shared cache unavailable)' }),
        )
        .catch(() => undefined);
    }
    throw err;
  }
}

async function verifyClaimed(ctx: ResponseContext, entry: RequestEntry, form: Record<string, unknown>, now: () => number): Promise<ResponseResult> {
  let token: Map<string, string[]>;
  try {
    token = parseVpToken(form.vp_token, entry.request.dcql);
  } catch (err) {
    if (!(err instanceof VpTokenError)) throw err;
    return fail(ctx, entry, err.code, err.message);
  }

  for (const presentations of token.values()) {
    for (const p of presentations) {
      const kb = kbJwtOf(p);
      if (kb && !(await ctx.replay.firstUse(kb, now()))) return fail(ctx, entry, 'KB_JWT_REPLAYED', 'this presentation was already received');
    }
  }

  const credentials: VerifiedCredential[] = [];
  for (const [queryId, presentations] of token) {
    const query = entry.request.dcql.credentials.find((c) => c.id === queryId)!;
    for (const p of presentations) {
      let outcome: PresentationOutcome;
      try {
        outcome = await ctx.verify(p, {
          nonce: entry.request.nonce,
          aud: entry.request.clientId,
          ...(entry.request.profile ? { profile: entry.request.profile } : {}),
        });
      } catch (err) {
        if (isNetcredError(err) && errorClassOf(err.code) === 'storage') throw err;
        // Never leave a consumed state pending: the kiosk gets a final (internal) verdict.
        await ctx.store.settle(entry, { valid: false, code: 'INTERNAL', message: 'the verifier failed while verifying the presentation' });
        return { status: 500, body: { error: 'server_error', error_description: 'internal error' }, verdict: entry.verdict };
      }
      if (!outcome.valid) return await fail(ctx, entry, outcome.code ?? 'MALFORMED', outcome.message ?? 'the presentation was rejected');
      const cred: VerifiedCredential = {
        credentialQueryId: queryId,
        claims: outcome.claims ?? {},
        ...(outcome.issuer ? { issuer: outcome.issuer } : {}),
        ...(outcome.vct ? { vct: outcome.vct } : {}),
        ...(outcome.status !== undefined ? { status: outcome.status } : {}),
      };
      const missing = unsatisfiedClaim(query, { vct: outcome.vct, claims: cred.claims });
      if (missing) return await fail(ctx, entry, 'PROFILE_NOT_SATISFIED', `credential query ${queryId}: ${missing}`);
      // A registered type's profile is its issuers' own: another trusted issuer's card of the same vct does not satisfy it.
      const named = entry.request.typeProfile;
      if (named && !named.issuers.includes(outcome.issuer ?? ''))
        return await fail(
          ctx,
          entry,
          'PROFILE_NOT_SATISFIED',
          `credential query ${queryId}: the credential's issuer ${outcome.issuer ?? '(none)'} does not define profile ${named.name} in this verifier's trust bundle (${named.issuers.join(', ')} do${named.issuers.length === 1 ? 'es' : ''})`,
        );
      credentials.push(cred);
    }
  }
  const verdict = await ctx.store.settle(entry, { valid: true, credentials });
  return { status: 200, body: {}, verdict };
}

async function fail(ctx: ResponseContext, entry: RequestEntry, code: string, message: string): Promise<ResponseResult> {
  const verdict = await ctx.store.settle(entry, { valid: false, code, message });
  return refuse(message, code, verdict);
}

/** A wallet that declines answers with `error` (section 8.5); it settles the request as refused. */
async function walletError(ctx: ResponseContext, state: string, form: Record<string, unknown>, now: number): Promise<ResponseResult> {
  const claim = await ctx.store.claim(state, now);
  if (!claim.ok) return refuse(STATE_REASON[claim.reason]);
  // Wallet-supplied text ends up on the kiosk: bounded, no control characters.
  const clean = (v: unknown, max: number, fallback: string) => (typeof v === 'string' ? v.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, max) : fallback);
  const error = clean(form.error, 64, 'invalid');
  const description = clean(form.error_description, 256, 'the wallet declined');
  const verdict = await ctx.store.settle(claim.entry, { valid: false, code: 'WALLET_DECLINED', message: `${error}: ${description}` });
  return { status: 200, body: {}, verdict };
}
