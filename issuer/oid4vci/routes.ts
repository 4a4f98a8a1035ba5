import express, { Router, type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import { httpErrorHandler, httpStatusOf, oauthErrorOf } from '../../core/http/errors.js';
import { DPOP_ALGS, DpopNonceError, DpopProofError } from '../../core/oauth/dpop.js';
import { jsonBody, typedBodyErrors } from '../../core/http/json-body.js';
import { perIpRateLimit, type RateLimitSetting } from '../../core/http/rate-limit.js';
import type { IssuerContext } from '../context.js';
import { OID4VCI_PATHS, routePath, wellKnownPath } from './config.js';
import { addAuthorizationRoutes } from './authorization-routes.js';
import { handleCredentialRequest } from './credential.js';
import { DPOP_NONCE_HEADER, issueDpopNonce } from './dpop.js';
import { createEnrollmentOffer, offerById, type EnrollmentInput } from './enroll.js';
import { Oid4vciError } from './errors.js';
import { registeredTypeDefinitions } from '../credential-types/index.js';
import { authorizationServerMetadata, credentialIssuerMetadata } from './metadata.js';
import { issueNonce } from './nonce.js';
import { handleTokenRequest } from './token-endpoint.js';

/** The OpenID4VCI router's admin guard and rate limit. */
export type Oid4vciRouterOptions = {
  /** Guards the admin routes (enrollments, authorization decisions); the issuer app passes its admin bearer-token check. */
  requireAdmin: RequestHandler;
  /** Token and nonce requests a minute per client IP, each endpoint counted apart (default 600; 0 or false: no limit). */
  rateLimit?: RateLimitSetting;
};

const ENROLLMENT_KEYS = new Set(['claims', 'evidence', 'txCode', 'format', 'grant', 'qr', 'vct']);

function noStore(res: Response): Response {
  return res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
}

/** Content-type gate: a token request is a form, a credential request JSON (strict parsing). */
function requireType(type: string, what: string): RequestHandler {
  return (req, _res, next) => {
    next(
      req.is(type)
        ? undefined
        : new Oid4vciError(what === 'credential' ? 'invalid_credential_request' : 'invalid_request', `the ${what} request must be ${type}`),
    );
  };
}

const answer = httpErrorHandler({
  log: 'issuer (oid4vci)',
  details: true,
  // OpenID4VCI 8.3.1.2: a credential request that cannot be parsed is invalid_credential_request.
  oauthError: (req) => (req.path.endsWith(OID4VCI_PATHS.credential) ? 'invalid_credential_request' : undefined),
});

/**
 * RFC 9449 7.1: the credential endpoint's 401 challenges use the DPoP scheme when the request used
 * it, a DPoP proof was refused, or the issuer takes no other token (HAIP).
 */
function dpopChallenge(ctx: IssuerContext): ErrorRequestHandler {
  return (err, req, res, next) => {
    const dpop = err instanceof DpopProofError || err instanceof DpopNonceError || /^DPoP /.test(req.get('authorization') ?? '') || ctx.config.oauth.haip;
    if (dpop && req.path.endsWith(OID4VCI_PATHS.credential) && httpStatusOf(err) === 401) {
      const description = (err instanceof Error ? err.message : '').replace(/["\\]/g, '');
      res.set('WWW-Authenticate', `DPoP error="${oauthErrorOf(err)}", error_description="${description}", algs="${DPOP_ALGS.join(' ')}"`);
    }
    next(err);
  };
}

/** OAuth-style error bodies for every failure of these routes (RFC 6749 5.2, RFC 6750 3.1): the one contract, never cached. */
const errors: ErrorRequestHandler = (err, req, res, next) => answer(err, req, noStore(res), next);

/**
 * OpenID4VCI 1.0 issuer routes, mounted at the app root: the two well-known metadata
 * documents, token, nonce and credential endpoints, and the admin enrollment API.
 */
export function oid4vciRouter(ctx: IssuerContext, options: Oid4vciRouterOptions): Router {
  const router = Router();
  const admin = options.requireAdmin;
  const at = (path: string) => routePath(ctx.config.publicUrl, path);
  const form = typedBodyErrors(express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 20 }));
  const json = (limit: string) => jsonBody({ limit, strict: true });

  router.get(wellKnownPath(ctx.config.publicUrl, 'openid-credential-issuer'), async (_req, res) => {
    res.json(credentialIssuerMetadata(ctx, await registeredTypeDefinitions(ctx)));
  });
  router.get(wellKnownPath(ctx.config.publicUrl, 'oauth-authorization-server'), (_req, res) => {
    res.json(authorizationServerMetadata(ctx));
  });

  // RFC 9449 8: a fresh server nonce on every answer of the endpoints that take DPoP proofs, to a client that uses DPoP (or must).
  const dpopNonce: RequestHandler = (req, res, next) => {
    if (req.get('dpop') !== undefined || ctx.config.oauth.haip) res.set(DPOP_NONCE_HEADER, issueDpopNonce(ctx));
    next();
  };
  const formOnly = requireType('application/x-www-form-urlencoded', 'token');

  router.post(at(OID4VCI_PATHS.token), perIpRateLimit(options.rateLimit, 'slow_down', 'token'), dpopNonce, formOnly, form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const headers = {
      dpop: req.headers.dpop,
      attestation: req.headers['oauth-client-attestation'],
      attestationPop: req.headers['oauth-client-attestation-pop'],
    };
    noStore(res).json(await handleTokenRequest(ctx, body, headers));
  });

  router.get(`${at(OID4VCI_PATHS.offers)}/:id`, async (req, res) => {
    const offer = await offerById(ctx, req.params.id);
    if (!offer) {
      noStore(res).status(404).json({ error: 'not_found', error_description: 'no pending credential offer with this id' });
      return;
    }
    noStore(res).json(offer);
  });

  router.post(at(OID4VCI_PATHS.nonce), perIpRateLimit(options.rateLimit, 'invalid_request', 'nonce'), async (_req, res) => {
    const { c_nonce } = issueNonce(ctx);
    noStore(res).json({ c_nonce });
  });

  router.post(at(OID4VCI_PATHS.credential), dpopNonce, requireType('application/json', 'credential'), json('128kb'), async (req, res) => {
    noStore(res).json(await handleCredentialRequest(ctx, req.get('authorization'), req.body, req.headers.dpop));
  });

  router.post(at(OID4VCI_PATHS.enrollments), admin, requireType('application/json', 'enrollment'), json('256kb'), async (req, res) => {
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Oid4vciError('invalid_request', 'the enrollment must be a JSON object');
    const unknown = Object.keys(body).filter((k) => !ENROLLMENT_KEYS.has(k));
    if (unknown.length) throw new Oid4vciError('invalid_request', `unknown enrollment fields: ${unknown.join(', ')}`);
    const input: EnrollmentInput = {
      claims: body.claims,
      evidence: body.evidence,
      txCode: body.txCode as boolean | undefined,
      format: body.format as EnrollmentInput['format'],
      grant: body.grant as EnrollmentInput['grant'],
      qr: body.qr !== false,
    };
    if (body.vct !== undefined) input.vct = body.vct as string;
    noStore(res)
      .status(201)
      .json(await createEnrollmentOffer(ctx, input));
  });

  addAuthorizationRoutes(ctx, router, {
    admin,
    form,
    json: json('4kb'),
    formOnly: requireType('application/x-www-form-urlencoded', 'pushed authorization'),
    dpopNonce,
    rateLimit: perIpRateLimit(options.rateLimit, 'invalid_request', 'par'),
    noStore,
  });

  router.use(dpopChallenge(ctx), errors);
  return router;
}
