import { describe, expect, it } from 'vitest';
import { profileClaimPaths } from '../../schemas/index.js';
import type { DemoResult } from '../../cli/demo/run.js';
import { runCli } from '../helpers/cli.js';

const upgraded = profileClaimPaths('upgraded')
  .map((x) => String(x[0]))
  .sort();
const observed = (step: DemoResult['steps'][number] | undefined, what: RegExp) => step?.checks.find((c) => what.test(c.what))?.observed;

/**
 * `netcred demo --haip` through the real CLI: an X.509 issuer with HAIP on, the authorization
 * code flow (PAR, PKCE, DPoP) approved at the enrollment point, an x509_san_dns verifier answered
 * with direct_post.jwt, and two replays refused; every step must turn out as narrated.
 */
describe('netcred demo --haip (HAIP 1.0 story, real issuer, wallet and verifier on 127.0.0.1)', () => {
  it('narrates each step and exits 0', { timeout: 180_000 }, async () => {
    const run = await runCli(['demo', '--haip', '--no-qr'], { timeoutMs: 170_000 });
    expect(run.code, `${run.stdout.slice(-3000)}\n${run.stderr.slice(0, 2000)}`).toBe(0);
    const out = run.stdout;
    expect(out).not.toMatch(/✗/);
    for (const line of [
      /^netcred demo --haip: issuer http:\/\/127\.0\.0\.1:\d+ \(iss http:\/\/127\.0\.0\.1:\d+\), verifier http:\/\/localhost:\d+ \(x509_san_dns:localhost\)/m,
      /── 1\. Enrollment at an X\.509 issuer \(HAIP\)/,
      /✓ authorization server metadata \(HAIP\): require_pushed_authorization_requests=true, code_challenge_methods_supported=S256/,
      /✓ the offer grants: \["authorization_code"\]/,
      /PAR: POST \/oid4vci\/par .*code_challenge_method=S256.* -> HTTP 201 request_uri urn:ietf:params:oauth:request_uri:/,
      /officer: POST \/admin\/authorizations\/[0-9A-Z]{4}-[0-9A-Z]{4}\/approve .* -> HTTP 200 approved/,
      /✓ the authorization response names the issuer \(iss, RFC 9207\): http:\/\/127\.0\.0\.1:\d+/,
      /✓ the access token is DPoP-bound \(token_type\): DPoP$/m,
      /✓ the credential request: Authorization scheme DPoP, proof ath = SHA-256 of the token: DPoP, ath matches/,
      /✓ credential iss is the issuer URL, signed with x5c = its leaf certificate: iss matches, x5c = leaf/,
      /✓ the metadata names the issuer identifier exactly \(issuer = iss\)/,
      /✓ a sync attempt now fails: SYNC_FAILED/,
      /✓ a wallet that does not trust the verifier's CA refuses the request: X509_UNTRUSTED/,
      /✓ the request object is signed with the x5c chain \(typ oauth-authz-req\+jwt\): oauth-authz-req\+jwt, x5c/,
      /shows: Quzhou Rural Bank, Kecheng Branch \(x509_san_dns:localhost\) asks for: /,
      /✓ the answer is encrypted \(direct_post\.jwt\): only `response` is posted, a JWE with ECDH-ES: response, ECDH-ES, 5 parts/,
      /✓ the same presentation checked against the bundle without the issuer root: X509_UNTRUSTED/,
      /verifier concluded: VALID/,
      /✓ the same encrypted answer posted a second time: refused: a response for this state was already received/,
      /✓ a replayed DPoP proof is refused \(its jti was already used\): invalid_dpop_proof OID4VCI_INVALID_DPOP_PROOF/,
      /^All 5 steps turned out as narrated\.$/m,
    ]) {
      expect(out).toMatch(line);
    }
  });

  it('--json reports each step, what was disclosed and the verdict', { timeout: 180_000 }, async () => {
    const run = await runCli(['demo', '--haip', '--json'], { timeoutMs: 170_000 });
    let result: DemoResult;
    try {
      result = JSON.parse(run.stdout) as DemoResult;
    } catch {
      throw new Error(`not JSON (exit ${run.code}): ${run.stdout.slice(0, 500)} ${run.stderr.slice(0, 2000)}`);
    }
    const failed = result.steps.filter((s) => !s.ok).map((s) => ({ step: s.id, error: s.error, checks: s.checks.filter((c) => !c.ok) }));
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
    expect(run.code).toBe(0);
    expect(result).toMatchObject({ ok: true, expectedSteps: 5, issuer: result.issuerUrl });
    expect(result.verifierUrl).toMatch(/^http:\/\/localhost:\d+$/);
    expect(result.steps.map((s) => s.id)).toEqual(['enroll', 'authorize-issue', 'sync-offline', 'present', 'replays']);
    const [, issue, offline, present, replays] = result.steps;
    expect(observed(issue, /token_type/)).toBe('DPoP');
    expect(observed(issue, /bound to the wallet's DPoP key/)).toBe('bound to the key of every proof');
    expect(observed(offline, /X\.509 roots/)).toBe('1');
    // Exactly the profile's claims, to the certified verifier, valid, with no connection while verifying.
    expect(Object.keys(present!.disclosed ?? {}).sort()).toEqual(upgraded);
    expect(present!.verdict).toMatchObject({ valid: true, status: 'valid', issuer: result.issuer });
    expect(observed(present, /verifier's name shown/)).toBe('Quzhou Rural Bank, Kecheng Branch');
    expect(observed(present, /connections opened/)).toBe('0');
    expect(observed(present, /issuer received/)).toBe('0');
    expect(observed(replays, /replayed DPoP proof/)).toBe('invalid_dpop_proof OID4VCI_INVALID_DPOP_PROOF');
    expect(observed(replays, /stays as first decided/)).toBe('valid');
  });
});
