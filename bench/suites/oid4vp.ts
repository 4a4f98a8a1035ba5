import { generateKeyPairSync } from 'node:crypto';
import { didJwkFromJwk, keyObjectSigner, parseSdJwt, publicJwkOf, sdDigest, signCompact } from '../../core/index.js';
import { profileClaimPaths, sampleIdentityClaims } from '../../schemas/index.js';
import {
  createVerifier,
  createVerifierApp,
  emptyTrustBundle,
  handleAuthorizationResponse,
  listenApp,
  oid4vpRoutesFor,
  pipelineVerifier,
  ReplayGuard,
  syncIssuer,
  TrustStore,
  verifyPresentation,
} from '../../verifier/index.js';
import { issueCredential, startEphemeralIssuer } from '../../issuer/index.js';
import { opsPerSecond, opsPerSecondConcurrent, ratio, type BenchRow, type BenchSuite } from '../harness.js';

const CONCURRENCY = 8;
const POOL = 8000;

/**
 * OpenID4VP responses verified per second by the verifier app over HTTP (direct_post to
 * /oid4vp/responses: state lookup, vp_token parsing, replay guard, the offline pipeline, DCQL
 * check, verdict), next to the in-process pipeline on the same presentation shape. Requests
 * and wallet answers (a fresh KB-JWT per request) are made before the clock starts.
 */
export const oid4vpSuite: BenchSuite = {
  name: 'oid4vp',
  async run(): Promise<BenchRow[]> {
    const issuer = await startEphemeralIssuer({
      adminToken: 'bench-admin-token-0123456789abcdef',
      secret: 'bench-secret-0123456789abcdef0123',
      tmpPrefix: 'netcred-bench-oid4vp-',
    });
    const issuerCtx = issuer.ctx;
    try {
      // A holder whose key the bench holds, so each answer costs one KB-JWT signature.
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const holderSigner = keyObjectSigner(privateKey);
      const holderDid = didJwkFromJwk(publicJwkOf(privateKey));
      const issued = await issueCredential(issuerCtx, { holderDid, claims: sampleIdentityClaims() });
      const { bundle } = await syncIssuer(emptyTrustBundle(), issuer.url);
      const trust = new TrustStore(bundle);

      const verifier = createVerifier({ trust });
      let base = '';
      const oid4vp = oid4vpRoutesFor(verifier, { baseUrl: () => base, adminToken: 'bench-verifier-admin-0123456789' });
      const app = await listenApp(createVerifierApp({ verifier, routers: [oid4vp.router] }));
      base = app.url;

      const lite = new Set(profileClaimPaths('lite').map((p) => String(p[0])));
      const parsed = parseSdJwt(issued.credential);
      const body = `${[parsed.jwt, ...parsed.disclosures.filter((d) => d.name !== undefined && lite.has(d.name)).map((d) => d.encoded)].join('~')}~`;
      const sdHash = sdDigest(body);
      const answer = async (aud: string, nonce: string) =>
        `${body}${await signCompact({ typ: 'kb+jwt' }, { iat: Math.floor(Date.now() / 1000), aud, nonce, sd_hash: sdHash }, holderSigner)}`;

      // In-process baseline: the same pipeline on one presentation (no replay cache, so it can repeat).
      const fixed = await answer('redirect_uri:https://kiosk.example/oid4vp/responses', 'bench-nonce-0123456789abcdef');
      const once = verifyPresentation(fixed, { trust, nonce: 'bench-nonce-0123456789abcdef', aud: 'redirect_uri:https://kiosk.example/oid4vp/responses' });
      if (!once.valid) throw new Error(`baseline presentation rejected: ${once.code} ${once.message}`);
      let exhausted = 0;
      let rejected = 0;
      const inProcess = await opsPerSecond(() =>
        verifyPresentation(fixed, { trust, nonce: 'bench-nonce-0123456789abcdef', aud: 'redirect_uri:https://kiosk.example/oid4vp/responses' }),
      );

      // Answers prepared ahead: one open request and one fresh SD-JWT+KB each.
      const pool: { responseUri: string; form: string }[] = [];
      const prepare = async () => {
        const req = await oid4vp.createRequest({ profile: 'lite' });
        const vp = await answer(req.clientId, req.nonce);
        return { responseUri: req.responseUri, form: new URLSearchParams({ vp_token: JSON.stringify({ identity: [vp] }), state: req.state }).toString() };
      };
      for (let i = 0; i < POOL; i++) pool.push(await prepare());
      // The response endpoint's work without HTTP: state, vp_token, replay guard, pipeline, DCQL, verdict.
      const replay = new ReplayGuard();
      const handlerVerify = pipelineVerifier(verifier);
      const handled = await opsPerSecond(async () => {
        const next = pool.pop() ?? (exhausted++, await prepare());
        const r = await handleAuthorizationResponse({ store: oid4vp.store, replay, verify: handlerVerify }, Object.fromEntries(new URLSearchParams(next.form)));
        if (r.status !== 200) rejected++;
      });
      if (rejected) throw new Error(`${rejected} OpenID4VP responses were rejected in-process`);
      const post = async () => {
        const next = pool.pop() ?? (exhausted++, await prepare());
        const res = await fetch(next.responseUri, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: next.form });
        await res.arrayBuffer();
        if (res.status !== 200) rejected++;
      };
      const overHttp = await opsPerSecondConcurrent(post, CONCURRENCY);
      if (rejected) throw new Error(`${rejected} OpenID4VP responses were rejected`);
      const sequential = await opsPerSecond(post);
      if (rejected) throw new Error(`${rejected} OpenID4VP responses were rejected`);
      // What HTTP alone costs here (client and server share this process and its cores).
      const health = async () => {
        const res = await fetch(`${base}/health`);
        await res.arrayBuffer();
      };
      const httpFloor = await opsPerSecondConcurrent(health, CONCURRENCY);

      await app.close();
      return [
        { suite: 'oid4vp', name: 'in-process verify (lite SD-JWT+KB)', opsPerSec: inProcess },
        { suite: 'oid4vp', name: 'in-process response handling (no HTTP)', opsPerSec: handled, ratios: { vsInProcessVerify: ratio(handled, inProcess) } },
        {
          suite: 'oid4vp',
          name: `HTTP direct_post responses verified (${CONCURRENCY} concurrent wallets)`,
          opsPerSec: overHttp,
          ratios: { vsInProcessVerify: ratio(overHttp, inProcess), vsHttpRoundTrip: ratio(overHttp, httpFloor) },
          extra: { poolExhausted: exhausted, presentationBytes: fixed.length },
        },
        {
          suite: 'oid4vp',
          name: 'HTTP direct_post responses verified (1 wallet at a time)',
          opsPerSec: sequential,
          ratios: { vsInProcessVerify: ratio(sequential, inProcess) },
        },
        { suite: 'oid4vp', name: `HTTP round trip baseline: GET /health (${CONCURRENCY} concurrent)`, opsPerSec: httpFloor },
      ];
    } finally {
      await issuer.close();
    }
  },
};
