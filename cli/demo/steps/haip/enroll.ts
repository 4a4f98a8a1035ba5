import { certificateSummary, issuerCertificateChain } from '../../../../issuer/index.js';
import { sampleIdentityClaims } from '../../../../schemas/index.js';
import { DemoError } from '../../actions.js';
import type { Story } from '../../report.js';
import { ENROLLMENT_STATION, type DemoWallet, type World } from '../../world.js';

export type CodeEnrollment = { offerId: string; offer: string };

/** The AS metadata a HAIP wallet relies on, in one line: PAR required, PKCE method, DPoP algs, iss in responses. */
function haipMetadata(m: Record<string, unknown>): string {
  const list = (v: unknown) => (Array.isArray(v) ? v.join(' ') : String(v));
  return [
    `require_pushed_authorization_requests=${String(m.require_pushed_authorization_requests)}`,
    `code_challenge_methods_supported=${list(m.code_challenge_methods_supported)}`,
    `dpop_signing_alg_values_supported=${list(m.dpop_signing_alg_values_supported)}`,
    `authorization_response_iss_parameter_supported=${String(m.authorization_response_iss_parameter_supported)}`,
  ].join(', ');
}

/**
 * 1. The issuer is an X.509 issuer with a URL identifier and HAIP on; the enrollment point records
 * the resident's claims with chip + face evidence and gets an offer with the authorization code
 * grant (its issuer_state names this enrollment).
 */
export async function stepHaipEnroll(world: World, story: Story): Promise<{ phone: DemoWallet; enrollment: CodeEnrollment }> {
  const log = story.begin(1, 'enroll', 'Enrollment at an X.509 issuer (HAIP): chip + face evidence, an offer with the authorization code grant');
  const { ctx } = world.issuer;
  const chain = issuerCertificateChain(ctx);
  const cert = chain ? certificateSummary(chain) : undefined;
  log.note(`issuer: netcred issuer init --x509 --haip --alg ES256 --public-url ${ctx.config.publicUrl}`);
  if (cert)
    log.note(
      `its certificate: ${cert.subject}, names ${[...cert.dnsNames.map((d) => `DNS:${d}`), ...cert.uris.map((u) => `URI:${u}`)].join(' ')}, issued by ${cert.issuer} (a development CA whose private key was not kept)`,
    );
  log.check('the issuer identifier (iss) is its URL', ctx.config.publicUrl, ctx.issuerId);
  log.check('the issuer holds a certificate chain for its signing key (leaf + root)', 2, cert?.certificates ?? 0);

  const metadata = await fetch(`${world.issuer.url}/.well-known/oauth-authorization-server`).then((r) => r.json() as Promise<Record<string, unknown>>);
  log.check(
    'authorization server metadata (HAIP)',
    'require_pushed_authorization_requests=true, code_challenge_methods_supported=S256, dpop_signing_alg_values_supported=ES256 EdDSA, authorization_response_iss_parameter_supported=true',
    haipMetadata(metadata),
  );

  const evidence = { method: 'chip+face', station: ENROLLMENT_STATION, time: new Date().toISOString() };
  const res = await world.issuerAdmin('POST', '/admin/enrollments', { claims: sampleIdentityClaims(), evidence, grant: 'authorization_code', qr: false });
  if (res.status !== 201 || typeof res.body.offer !== 'string' || typeof res.body.offerId !== 'string') {
    throw new DemoError('DEMO_ENROLLMENT_FAILED', `POST /admin/enrollments answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  }
  log.note(`enrollment point ${ENROLLMENT_STATION}: ID card chip read, face matched (evidence ${evidence.method}); enrollment ${res.body.offerId}`);
  log.note(`credential offer: ${res.body.offer.slice(0, 72)}...`);
  const offer = JSON.parse(new URL(res.body.offer).searchParams.get('credential_offer') ?? '{}') as { grants?: Record<string, { issuer_state?: unknown }> };
  log.check('the offer grants', ['authorization_code'], Object.keys(offer.grants ?? {}));
  log.check(
    'the authorization_code grant carries an issuer_state naming this enrollment',
    true,
    typeof offer.grants?.authorization_code?.issuer_state === 'string',
  );

  const phone = await world.newWallet('phone');
  log.note(`the resident's wallet "${phone.name}" (${phone.did.slice(0, 28)}...) scans the offer; it is locked by a PIN and unlocked for the issuance`);
  return { phone, enrollment: { offerId: res.body.offerId, offer: res.body.offer } };
}
