import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { issuerKeyMechanism } from '../../../../core/vc/issuer-key.js';
import { respondToRequest } from '../../../../holder/oid4vp/index.js';
import { addVerifierRoots, readVerifierRoots } from '../../../../holder/trust/verifier-roots.js';
import { profileClaimPaths } from '../../../../schemas/index.js';
import { readTrustBundle, TrustStore, verifyPresentation } from '../../../../verifier/index.js';
import { requestQrPng, requestQrTerminal } from '../../../../verifier/oid4vp/index.js';
import { codeOf, DemoError, reportOfflineVerdict } from '../../actions.js';
import { disclosedClaims, names } from '../../disclosed.js';
import type { Story } from '../../report.js';
import type { DemoWallet, World } from '../../world.js';
import { peekJose, Wire, type Exchange } from './wire.js';

const UPGRADED = profileClaimPaths('upgraded')
  .map((p) => String(p[0]))
  .sort();

/**
 * 4. The verifier shows an OpenID4VP request per HAIP (x509_san_dns client id, a request object
 * signed with its x5c chain, fetched by POST with a wallet_nonce); the wallet refuses it until it
 * trusts the verifier's root, then shows the verifier's name from the certificate and answers
 * with direct_post.jwt (a JWE to the request's key) holding only the requested claims. The
 * verifier decrypts, verifies offline (the issuer key from x5c), and the verdict is valid.
 */
export async function stepHaipPresent(
  world: World,
  story: Story,
  phone: DemoWallet,
  offlineSince: number,
): Promise<{ response: Exchange | undefined; requestId: string }> {
  const log = story.begin(
    4,
    'present',
    'OpenID4VP per HAIP: signed x509_san_dns request (request_uri_method=post), the wallet checks the certificate, answers with direct_post.jwt',
  );
  const pki = world.verifier.x509;
  if (!pki) throw new DemoError('INTERNAL', 'the verifier has no X.509 identity');
  const request = await world.verifier.oid4vp.createRequest({ profile: 'upgraded' });
  const png = path.join(world.root, 'openid4vp-haip-request.png');
  writeFileSync(png, await requestQrPng(request.uri));
  log.note(
    `the verifier shows an OpenID4VP request: client_id ${request.clientId}, response_mode ${request.responseMode}, request_uri_method ${request.requestUriMethod}`,
  );
  story.raw(`   request QR written to ${png}: ${request.uri.slice(0, 96)}...`);
  if (world.showQr) story.raw(await requestQrTerminal(request.uri));
  log.check(
    'the request URI',
    `client_id=${pki.clientId}, request_uri_method=post`,
    `client_id=${new URL(request.uri).searchParams.get('client_id')}, request_uri_method=${new URL(request.uri).searchParams.get('request_uri_method')}`,
  );

  // A wallet that does not trust the verifier's CA stops before showing or sending anything.
  log.check(
    "a wallet that does not trust the verifier's CA refuses the request",
    'X509_UNTRUSTED',
    await codeOf(respondToRequest(phone.wallet, request.uri, { trustedRoots: [] })),
  );
  const added = addVerifierRoots(phone.dir, pki.caPem).added;
  log.note(`netcred wallet trust add-cert ca.pem: the wallet now trusts ${added.map((a) => a.name ?? a.subject).join(', ')}`);

  const wire = new Wire();
  let shown: { name?: string; certifiedBy?: string; clientId: string; claims: string[] } | undefined;
  const checksBefore = world.verifier.verifyConnections.length;
  const answer = await respondToRequest(phone.wallet, request.uri, {
    fetch: wire.fetch,
    trustedRoots: readVerifierRoots(phone.dir),
    confirm: ({ request: r, plan }) => {
      shown = {
        name: r.verifierName,
        certifiedBy: r.certifiedBy,
        clientId: r.clientId,
        claims: [...new Set(plan.flatMap((p) => p.disclosed.map((d) => String(d.path[0]))))],
      };
      return true;
    },
  });

  const fetched = wire.ok('POST', `/oid4vp/requests/${request.id}`);
  const sent = new URLSearchParams(fetched?.requestBody ?? '');
  const object = peekJose(fetched?.responseBody);
  const x5c = object.header.x5c as unknown[] | undefined;
  log.note(`the wallet POSTs to request_uri (wallet_metadata, wallet_nonce) -> HTTP ${fetched?.status} ${fetched?.responseHeaders.get('content-type')}`);
  log.note(
    `request object: typ ${String(object.header.typ)}, alg ${String(object.header.alg)}, x5c ${x5c?.length ?? 0} certificate(s); response_mode ${String(object.payload.response_mode)}; client_metadata offers ${JSON.stringify((object.payload.client_metadata as Record<string, unknown> | undefined)?.encrypted_response_enc_values_supported)}`,
  );
  log.check(
    'the request object is signed with the x5c chain (typ oauth-authz-req+jwt)',
    'oauth-authz-req+jwt, x5c',
    `${String(object.header.typ)}, ${x5c?.length ? 'x5c' : 'no x5c'}`,
  );
  log.check(
    'the request object carries the wallet_nonce the wallet sent',
    true,
    sent.get('wallet_nonce') !== null && object.payload.wallet_nonce === sent.get('wallet_nonce'),
  );
  log.note(
    `the wallet checked the chain up to its trusted root and shows: ${shown?.name} (${shown?.clientId}) asks for: ${shown?.claims.join(', ')}; verifier certified by ${shown?.certifiedBy}`,
  );
  log.check("the verifier's name shown to the resident (from its certificate)", pki.name, shown?.name ?? 'none');

  const response = wire.ok('POST', '/oid4vp/responses');
  const posted = new URLSearchParams(response?.requestBody ?? '');
  const jwe = peekJose(posted.get('response'));
  log.note(
    `the wallet posts to response_uri: response=<JWE, ${jwe.parts} parts, alg ${String(jwe.header.alg)}, enc ${String(jwe.header.enc)}, kid ${String(jwe.header.kid).slice(0, 12)}...> -> HTTP ${response?.status}`,
  );
  log.check(
    'the answer is encrypted (direct_post.jwt): only `response` is posted, a JWE with ECDH-ES',
    'response, ECDH-ES, 5 parts',
    `${[...posted.keys()].join(' ')}, ${String(jwe.header.alg)}, ${jwe.parts} parts`,
  );

  const presentation = Object.values(answer.vpToken)[0]?.[0] ?? '';
  const disclosed = disclosedClaims(presentation);
  log.disclosed(disclosed, request.clientId);
  log.check('disclosed exactly the upgraded profile', UPGRADED, names(disclosed));
  const issuerJwt = peekJose(presentation.split('~')[0]);
  log.note(
    `the credential inside names its key by ${issuerKeyMechanism(issuerJwt.header, issuerJwt.payload.iss)}: the verifier checks the chain against the issuer root in its bundle (the leaf names iss as URI)`,
  );
  // The same presentation against the bundle without that root: the x5c chain is never rescued by the metadata keys.
  const bundle = readTrustBundle(world.verifier.bundleFile);
  const withoutRoot = verifyPresentation(presentation, { trust: new TrustStore({ ...bundle, x509Roots: [] }), nonce: request.nonce, aud: request.clientId });
  log.check('the same presentation checked against the bundle without the issuer root', 'X509_UNTRUSTED', withoutRoot.valid ? 'valid' : withoutRoot.code);

  reportOfflineVerdict(world, log, request.id, checksBefore, offlineSince, '');
  return { response, requestId: request.id };
}
