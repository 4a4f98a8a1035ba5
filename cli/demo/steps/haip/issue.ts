import { accessTokenHash } from '../../../../core/oauth/dpop.js';
import { jwkThumbprint, type PublicJwk } from '../../../../core/jose/jwk.js';
import { decodeSdJwt } from '../../../../core/sd-jwt/decode.js';
import { readCredential } from '../../../../holder/index.js';
import { acceptOffer } from '../../../../holder/oid4vci/index.js';
import { issuerCertificateChain } from '../../../../issuer/index.js';
import type { Story } from '../../report.js';
import type { DemoWallet, World } from '../../world.js';
import { enrollmentPointBrowser, type BrowserTrace } from './browser.js';
import type { CodeEnrollment } from './enroll.js';
import { jsonOf, peekJose, Wire, type Exchange } from './wire.js';

const dpopProofOf = (e: Exchange | undefined) => peekJose(e?.requestHeaders.get('dpop'));

/**
 * 2. The wallet runs the authorization code flow as HAIP wants it: PAR with PKCE (S256) and a
 * DPoP proof, the browser step approved by the officer for the recorded enrollment, the code
 * redeemed with its verifier and a DPoP proof (token_type DPoP), the credential requested with
 * `Authorization: DPoP` and a proof carrying the token's hash. Every exchange is read off the wire.
 */
export async function stepHaipIssue(
  world: World,
  story: Story,
  phone: DemoWallet,
  enrollment: CodeEnrollment,
): Promise<{ credentialId: string; tokenRequest: Exchange | undefined }> {
  const log = story.begin(
    2,
    'authorize-issue',
    'Authorization code flow (PAR + PKCE + DPoP), approved by the officer for the enrollment; the credential is issued to a DPoP-bound token',
  );
  const wire = new Wire();
  const trace: BrowserTrace = {};
  const browser = enrollmentPointBrowser(world, log, enrollment.offerId, trace);
  // The wallet has pushed its request by the time it opens the browser: narrate it then, in order.
  const reportPar = () => {
    const pars = wire.all('POST', '/oid4vci/par');
    const par = wire.ok('POST', '/oid4vci/par');
    const pushed = new URLSearchParams(par?.requestBody ?? '');
    const first = jsonOf(pars[0]?.responseBody);
    if (pars.length > 1 && first.error === 'use_dpop_nonce')
      log.note(
        `the wallet's first PAR carries a DPoP proof without a server nonce: HTTP ${pars[0]!.status} use_dpop_nonce and a DPoP-Nonce header; it retries with that nonce`,
      );
    log.note(
      `PAR: POST /oid4vci/par (response_type=code, client_id=${pushed.get('client_id')}, code_challenge_method=${pushed.get('code_challenge_method')}, scope=${pushed.get('scope')}, issuer_state, DPoP proof) -> HTTP ${par?.status} request_uri ${String(jsonOf(par?.responseBody).request_uri).slice(0, 48)}...`,
    );
    log.check('pushed authorization request (RFC 9126) with PKCE', 'S256', pushed.get('code_challenge_method') ?? 'none');
    log.check('the pushed request carries a DPoP proof (typ dpop+jwt): the code will be bound to its key', 'dpop+jwt', dpopProofOf(par).header.typ ?? 'none');
  };
  let result;
  try {
    result = await acceptOffer(phone.wallet, enrollment.offer, {
      fetch: wire.fetch,
      authorization: {
        redirectUri: browser.redirectUri,
        authorize: (url) => {
          reportPar();
          return browser.authorize(url);
        },
      },
    });
  } finally {
    await browser.close();
  }
  const par = wire.ok('POST', '/oid4vci/par');
  log.check(
    'the officer approved the authorization for the recorded enrollment',
    'approved',
    trace.approval?.status === 200 ? trace.approval.body.status : `HTTP ${trace.approval?.status} ${String(trace.approval?.body.code)}`,
  );
  const back = trace.redirectedTo;
  log.note(
    `the browser is sent back to the wallet: ${back ? `${back.origin}${back.pathname.slice(0, 18)}...?code=...&state=...&iss=${back.searchParams.get('iss')}` : 'nowhere'}`,
  );
  log.check('the authorization response names the issuer (iss, RFC 9207)', world.issuer.ctx.config.publicUrl, back?.searchParams.get('iss') ?? 'none');

  const tokens = wire.all('POST', '/oid4vci/token');
  const token = wire.ok('POST', '/oid4vci/token');
  const answer = jsonOf(token?.responseBody);
  const form = new URLSearchParams(token?.requestBody ?? '');
  const tokenProof = dpopProofOf(token);
  log.note(
    `token: POST /oid4vci/token (grant_type=${form.get('grant_type')}, code, code_verifier, DPoP proof typ ${String(tokenProof.header.typ)}) -> HTTP ${token?.status}${tokens.length > 1 ? ` after ${tokens.length - 1} use_dpop_nonce answer(s)` : ''}`,
  );
  log.check('the access token is DPoP-bound (token_type)', 'DPoP', answer.token_type ?? 'none');

  const accessToken = typeof answer.access_token === 'string' ? answer.access_token : '';
  const credential = wire.ok('POST', '/oid4vci/credential');
  const credentialProof = dpopProofOf(credential);
  const scheme = credential?.requestHeaders.get('authorization')?.split(' ')[0];
  log.note(`credential: POST /oid4vci/credential (Authorization: ${scheme} <token>, DPoP proof with ath, key proof JWT) -> HTTP ${credential?.status}`);
  log.check(
    'the credential request: Authorization scheme DPoP, proof ath = SHA-256 of the token',
    'DPoP, ath matches',
    `${scheme}, ath ${accessToken && credentialProof.payload.ath === accessTokenHash(accessToken) ? 'matches' : 'differs'}`,
  );

  // Every proof of the flow is signed by one key, made for this flow only; the issuer bound the token to it.
  const keys = new Set([par, token, credential].map((e) => jwkThumbprint(dpopProofOf(e).header.jwk as PublicJwk)));
  const [row] = (await world.issuer.ctx.dataSource.query('SELECT "dpop_jkt" FROM "oid4vci_access_token" WHERE "token_hash" = ?', [
    accessTokenHash(accessToken),
  ])) as { dpop_jkt: string | null }[];
  log.check(
    "the issuer's token record is bound to the wallet's DPoP key (jkt)",
    'bound to the key of every proof',
    keys.size === 1 && row?.dpop_jkt === [...keys][0] ? 'bound to the key of every proof' : `${keys.size} keys, token bound to ${row?.dpop_jkt ?? 'nothing'}`,
  );

  const stored = result.credentials[0];
  log.check('credentials issued', 1, result.credentials.length);
  const { sdJwt } = await readCredential(phone.wallet, stored?.id ?? '');
  const decoded = decodeSdJwt(sdJwt);
  const x5c = decoded.header.x5c as string[] | undefined;
  log.note(
    `wallet "${phone.name}" received credential ${stored?.id} (${stored?.format}): header alg ${decoded.header.alg}, typ ${decoded.header.typ}, kid ${String(decoded.header.kid).slice(0, 16)}..., x5c ${x5c?.length ?? 0} certificate(s)`,
  );
  log.check(
    'credential iss is the issuer URL, signed with x5c = its leaf certificate',
    'iss matches, x5c = leaf',
    `${decoded.payload.iss === world.issuer.ctx.issuerId ? 'iss matches' : `iss ${String(decoded.payload.iss)}`}, ${x5c?.length === 1 && x5c[0] === issuerCertificateChain(world.issuer.ctx)?.x5c[0] ? 'x5c = leaf' : 'x5c differs'}`,
  );
  log.check('credential bound to the wallet key (cnf.jwk present)', true, typeof (decoded.payload.cnf as { jwk?: unknown } | undefined)?.jwk === 'object');
  return { credentialId: stored?.id ?? '', tokenRequest: token };
}
