import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { b64uEncode, keyObjectSigner, publicJwkOf, signCompact } from '../../core/index.js';
import type { CaseResult, RunReport } from '../runner/result.js';
import { call, form, json, wellKnown, type Answer } from './http.js';
import { parseOffer, PRE_AUTHORIZED_GRANT } from './offer.js';

export type IssuerCheckOptions = {
  offer: string;
  txCode?: string;
  /** A second offer of the same issuer: its token checks that a used c_nonce is refused (the first token is spent by the issuance). */
  secondOffer?: string;
  secondTxCode?: string;
  name?: string;
};

type Check = { name: string; title: string; expect: 'accept' | 'reject'; expectedCode: string; section: string; rationale: string };

const VCI = 'OpenID4VCI 1.0';

function result(check: Check, answer: Answer | undefined, accepted: boolean, codes: readonly string[], said?: string): CaseResult {
  const code = typeof answer?.body.error === 'string' ? answer.body.error : undefined;
  const verdict = answer === undefined ? 'error' : accepted ? 'accept' : 'reject';
  const pass = verdict === check.expect && (check.expect === 'accept' || (code !== undefined && codes.includes(code)));
  const r: CaseResult = {
    name: check.name,
    group: 'oid4vci',
    title: check.title,
    expect: check.expect,
    expectedCode: check.expectedCode,
    section: check.section,
    rationale: check.rationale,
    verdict,
    said: said ?? (answer ? `HTTP ${answer.status} ${answer.text.replace(/\s+/g, ' ').slice(0, 160)}` : 'no answer'),
    ...(code !== undefined ? { code } : {}),
    ...(answer ? { status: answer.status } : {}),
    pass,
  };
  if (!pass)
    r.failure =
      verdict === 'error'
        ? `no answer: ${r.said}`
        : verdict !== check.expect
          ? `${verdict === 'accept' ? 'accepted' : 'refused'} what ${check.section} says to ${check.expect === 'accept' ? 'accept' : 'refuse'}: ${check.rationale}`
          : `refused with ${code ?? 'no error code'}, expected ${codes.join(' or ')}`;
  return r;
}

const newKey = (): KeyObject => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;

/**
 * Plays a wallet against an OpenID4VCI issuer with a pre-authorized offer and reports what the
 * issuer did with each bad request: unknown and reused codes, a credential request without a
 * token, key proofs with no nonce, another audience, a signature of another key, the wrong typ,
 * alg none, a private key in the header, a reused nonce; and the one good request.
 */
export async function checkIssuer(options: IssuerCheckOptions): Promise<RunReport> {
  const offer = parseOffer(options.offer);
  const results: CaseResult[] = [];
  const meta = await call(wellKnown(offer.credentialIssuer, 'openid-credential-issuer'));
  const as = (Array.isArray(meta.body.authorization_servers) ? (meta.body.authorization_servers[0] as string) : undefined) ?? offer.credentialIssuer;
  const asMeta = await call(wellKnown(as, 'oauth-authorization-server'));
  const tokenEndpoint = asMeta.body.token_endpoint as string | undefined;
  const credentialEndpoint = meta.body.credential_endpoint as string | undefined;
  const nonceEndpoint = meta.body.nonce_endpoint as string | undefined;
  if (!tokenEndpoint || !credentialEndpoint) throw new Error(`the issuer metadata has no ${tokenEndpoint ? 'credential_endpoint' : 'token_endpoint'}`);
  const grant = (code: string, tx = true) =>
    form({ grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': code, ...(tx && options.txCode ? { tx_code: options.txCode } : {}) });
  const refused = (a: Answer) => a.status >= 400 && a.status < 500;

  const unknown = await call(tokenEndpoint, grant(`${offer.code}-not-issued`));
  results.push(
    result(
      {
        name: 'token-unknown-code',
        title: 'a pre-authorized code the issuer never issued',
        expect: 'reject',
        expectedCode: 'invalid_grant',
        section: `${VCI} §6.3 / RFC 6749 §5.2`,
        rationale: 'An unknown code is invalid_grant.',
      },
      unknown,
      !refused(unknown),
      ['invalid_grant'],
    ),
  );
  if (offer.txCodeRequired) {
    const noTx = await call(tokenEndpoint, grant(offer.code, false));
    results.push(
      result(
        {
          name: 'token-missing-tx-code',
          title: 'the code without the tx_code the offer requires',
          expect: 'reject',
          expectedCode: 'invalid_request',
          section: `${VCI} §6.1 / §6.3`,
          rationale: 'tx_code is REQUIRED when the offer asks for one.',
        },
        noTx,
        !refused(noTx),
        ['invalid_request', 'invalid_grant'],
      ),
    );
  }
  const token = await call(tokenEndpoint, grant(offer.code));
  const accessToken = typeof token.body.access_token === 'string' ? token.body.access_token : undefined;
  results.push(
    result(
      {
        name: 'token-valid',
        title: 'the offered code (and tx_code)',
        expect: 'accept',
        expectedCode: 'VALID',
        section: `${VCI} §6.2`,
        rationale: 'The pre-authorized code of the offer gets an access token.',
      },
      token,
      token.status === 200 && accessToken !== undefined,
      [],
    ),
  );
  const reused = await call(tokenEndpoint, grant(offer.code));
  results.push(
    result(
      {
        name: 'token-code-reused',
        title: 'the same pre-authorized code again',
        expect: 'reject',
        expectedCode: 'invalid_grant',
        section: `${VCI} §13.6 / RFC 6749 §4.1.2`,
        rationale: 'A pre-authorized code is single-use and short-lived.',
      },
      reused,
      !refused(reused),
      ['invalid_grant'],
    ),
  );
  if (!accessToken) return report(options, offer.credentialIssuer, results);
  if (String(token.body.token_type).toLowerCase() === 'dpop') throw new Error('the issuer binds its tokens with DPoP: not supported by this check yet');

  const noToken = await call(credentialEndpoint, json({ credential_configuration_id: offer.configurationId }));
  results.push(
    result(
      {
        name: 'credential-no-token',
        title: 'a credential request without an access token',
        expect: 'reject',
        expectedCode: 'invalid_token',
        section: `${VCI} §8.3.1 / RFC 6750 §3.1`,
        rationale: 'The credential endpoint is a protected resource.',
      },
      noToken,
      !refused(noToken),
      ['invalid_token', 'invalid_request'],
    ),
  );

  const nonce = async (): Promise<string | undefined> =>
    nonceEndpoint ? ((await call(nonceEndpoint, { method: 'POST' })).body.c_nonce as string | undefined) : undefined;
  const key = newKey();
  const proof = async (
    o: { payload?: Record<string, unknown>; header?: Record<string, unknown>; signer?: KeyObject; c_nonce?: string | null } = {},
  ): Promise<string> => {
    const n = o.c_nonce === undefined ? await nonce() : o.c_nonce;
    const payload = { aud: offer.credentialIssuer, iat: Math.floor(Date.now() / 1000), ...(n ? { nonce: n } : {}), ...o.payload };
    return signCompact({ typ: 'openid4vci-proof+jwt', jwk: publicJwkOf(key), ...o.header }, payload, keyObjectSigner(o.signer ?? key));
  };
  const request = (jwt: string) => call(credentialEndpoint, json({ credential_configuration_id: offer.configurationId, proofs: { jwt: [jwt] } }, accessToken));
  const proofCase = async (check: Omit<Check, 'expect' | 'expectedCode'> & { codes?: string[] }, jwt: string) => {
    const a = await request(jwt);
    const codes = check.codes ?? ['invalid_proof'];
    results.push(result({ ...check, expect: 'reject', expectedCode: codes[0]! }, a, a.status === 200, codes));
  };
  const P = `${VCI} §8.2.1.1 / Appendix F.1`;
  if (nonceEndpoint)
    await proofCase(
      {
        name: 'proof-no-nonce',
        title: 'a key proof without the c_nonce',
        section: `${VCI} §7 / §8.2.1.1`,
        rationale: 'With a nonce endpoint, the proof MUST carry a fresh c_nonce.',
        codes: ['invalid_nonce', 'invalid_proof'],
      },
      await proof({ c_nonce: null }),
    );
  await proofCase(
    { name: 'proof-wrong-aud', title: 'a key proof for another issuer (aud)', section: P, rationale: 'aud MUST be the Credential Issuer Identifier.' },
    await proof({ payload: { aud: 'https://another-issuer.example' } }),
  );
  await proofCase(
    {
      name: 'proof-other-key',
      title: 'a key proof signed by another key than its header jwk',
      section: P,
      rationale: 'The proof signature MUST verify with the key it names.',
    },
    await proof({ signer: newKey() }),
  );
  await proofCase(
    { name: 'proof-typ-jwt', title: 'a key proof with typ JWT', section: P, rationale: 'typ MUST be openid4vci-proof+jwt.' },
    await proof({ header: { typ: 'JWT' } }),
  );
  const n = await nonce();
  const unsigned = `${b64uEncode(JSON.stringify({ alg: 'none', typ: 'openid4vci-proof+jwt', jwk: publicJwkOf(key) }))}.${b64uEncode(JSON.stringify({ aud: offer.credentialIssuer, iat: Math.floor(Date.now() / 1000), ...(n ? { nonce: n } : {}) }))}.`;
  await proofCase({ name: 'proof-alg-none', title: 'an unsigned key proof (alg none)', section: P, rationale: 'alg MUST NOT be none.' }, unsigned);
  await proofCase(
    {
      name: 'proof-private-jwk',
      title: 'a key proof whose header jwk holds the private key',
      section: P,
      rationale: 'The jwk MUST NOT contain a private key.',
    },
    await proof({ header: { jwk: key.export({ format: 'jwk' }) } }),
  );

  const good = await proof();
  const goodNonce = JSON.parse(Buffer.from(good.split('.')[1]!, 'base64url').toString('utf8')).nonce as string | undefined;
  const issued = await request(good);
  results.push(
    result(
      {
        name: 'credential-valid',
        title: 'a valid key proof with a fresh c_nonce',
        expect: 'accept',
        expectedCode: 'VALID',
        section: `${VCI} §8.3`,
        rationale: 'The credential is issued.',
      },
      issued,
      issued.status === 200 && Array.isArray(issued.body.credentials),
      [],
    ),
  );
  if (goodNonce && options.secondOffer) {
    const second = parseOffer(options.secondOffer);
    const t2 = await call(
      tokenEndpoint,
      form({ grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': second.code, ...(options.secondTxCode ? { tx_code: options.secondTxCode } : {}) }),
    );
    const token2 = typeof t2.body.access_token === 'string' ? t2.body.access_token : undefined;
    if (!token2) throw new Error(`the second offer got no access token: HTTP ${t2.status} ${t2.text.slice(0, 160)}`);
    const a = await call(
      credentialEndpoint,
      json({ credential_configuration_id: second.configurationId, proofs: { jwt: [await proof({ c_nonce: goodNonce })] } }, token2),
    );
    results.push(
      result(
        {
          name: 'proof-nonce-reused',
          title: "a new proof with a c_nonce already used (with the second offer's token)",
          expect: 'reject',
          expectedCode: 'invalid_nonce',
          section: `${VCI} §7.2 / §8.3.1.2`,
          rationale: 'A c_nonce is accepted once.',
        },
        a,
        a.status === 200,
        ['invalid_nonce'],
      ),
    );
  }
  return report(options, offer.credentialIssuer, results);
}

function report(options: IssuerCheckOptions, issuer: string, results: CaseResult[]): RunReport {
  const passed = results.filter((r) => r.pass).length;
  return {
    implementation: options.name ?? issuer,
    suite: { dir: issuer, alg: 'ES256', format: 'openid4vci pre-authorized', seed: '-', now: new Date().toISOString() },
    total: results.length,
    passed,
    failed: results.length - passed,
    results,
  };
}
