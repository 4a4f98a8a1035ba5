import express from 'express';
import {
  createOid4vpRouter,
  createVerifier,
  pipelineVerifier,
  verifierX509,
  type Oid4vpRouter,
  type Oid4vpRouterOptions,
  type TrustStore,
  type Verifier,
  type VerifierX509,
} from '../../verifier/index.js';
import { VERIFIER_ADMIN } from './fixture.js';
import { listen } from './helpers.js';
import type { VerifierPki } from './x509-fixture.js';

export type HaipVerifierApp = {
  url: string;
  verifier: Verifier;
  oid4vp: Oid4vpRouter;
  x509: VerifierX509 /** `METHOD path` of every request to the app. */;
  hits: string[];
  close(): Promise<void>;
};

/**
 * netcred's verifier in HAIP mode on 127.0.0.1, reached as `localhost` (the DNS name its leaf
 * certifies): x509_san_dns client id, direct_post.jwt, request_uri_method=post by default.
 */
export async function startHaipVerifier(
  trust: TrustStore,
  pki: VerifierPki,
  options: Partial<Omit<Oid4vpRouterOptions, 'baseUrl' | 'verify'>> = {},
): Promise<HaipVerifierApp> {
  const verifier = createVerifier({ trust });
  const x509 = verifierX509({ chain: [...pki.chain, pki.root.certificate], privateKey: pki.leaf.privateKey, dnsName: 'localhost' });
  let url = '';
  const oid4vp = createOid4vpRouter({
    baseUrl: () => url,
    adminToken: VERIFIER_ADMIN,
    verify: pipelineVerifier(verifier),
    x509,
    clientIdPrefix: 'x509_san_dns',
    responseMode: 'direct_post.jwt',
    requestUriMethod: 'post',
    ...options,
  });
  const app = express();
  const hits: string[] = [];
  app.use((req, _res, next) => {
    hits.push(`${req.method} ${req.path}`);
    next();
  });
  app.use(oid4vp.router);
  const srv = await listen(app);
  url = srv.url.replace('127.0.0.1', 'localhost');
  return { url, verifier, oid4vp, x509, hits, close: srv.close };
}
