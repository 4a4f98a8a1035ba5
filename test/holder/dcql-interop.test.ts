import { createHash, verify as nodeVerify, type JsonWebKey } from 'node:crypto';
import { SDJwtInstance } from '@sd-jwt/core';
import { DcqlPresentationResult, DcqlQuery } from 'dcql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPublicJwk, isNetcredError } from '../../core/index.js';
import { createPresentation, importCredential } from '../../holder/index.js';
import { PROFILES, RESIDENT_IDENTITY_VCT, type DcqlQuery as OurQuery } from '../../schemas/index.js';
import { createPeerIssuer, identityClaims, issueIdentity, type PeerIssuer } from './helpers/issue.js';
import { newTestWallet, type TestWallet } from './helpers/wallet.js';

const vct = RESIDENT_IDENTITY_VCT;
const q = (credentials: unknown[], credential_sets?: unknown[]): OurQuery => ({ credentials, ...(credential_sets ? { credential_sets } : {}) }) as OurQuery;

/** Queries our matcher and the `dcql` library must agree on (satisfiable or not). */
const QUERIES: [string, OurQuery][] = [
  ['lite', PROFILES.lite],
  ['upgraded', PROFILES.upgraded],
  ['nested', q([{ id: 'a', format: 'dc+sd-jwt', meta: { vct_values: [vct] }, claims: [{ path: ['address', 'locality'] }] }])],
  [
    'values ok',
    q([
      {
        id: 'a',
        format: 'dc+sd-jwt',
        meta: { vct_values: [vct] },
        claims: [
          { path: ['nationality'], values: ['XX', 'CN'] },
          { path: ['sex'], values: [2] },
        ],
      },
    ]),
  ],
  ['values no', q([{ id: 'a', format: 'dc+sd-jwt', meta: { vct_values: [vct] }, claims: [{ path: ['nationality'], values: ['XX'] }] }])],
  ['missing claim', q([{ id: 'a', format: 'dc+sd-jwt', meta: { vct_values: [vct] }, claims: [{ path: ['passport_number'] }] }])],
  ['other vct', q([{ id: 'a', format: 'dc+sd-jwt', meta: { vct_values: ['urn:other'] }, claims: [{ path: ['given_name'] }] }])],
  ['nested missing', q([{ id: 'a', format: 'dc+sd-jwt', meta: { vct_values: [vct] }, claims: [{ path: ['address', 'country_code'] }] }])],
  [
    'claim sets',
    q([
      {
        id: 'a',
        format: 'dc+sd-jwt',
        meta: { vct_values: [vct] },
        claims: [
          { id: 'p', path: ['passport_number'] },
          { id: 'b', path: ['birthdate'] },
          { id: 'o', path: ['age_over_18'] },
        ],
        claim_sets: [['p'], ['o', 'b'], ['o']],
      },
    ]),
  ],
  [
    'credential sets',
    q(
      [
        { id: 'passport', format: 'dc+sd-jwt', meta: { vct_values: ['urn:passport'] }, claims: [{ path: ['given_name'] }] },
        { id: 'identity', format: 'dc+sd-jwt', meta: { vct_values: [vct] }, claims: [{ path: ['given_name'] }] },
      ],
      [{ options: [['passport'], ['identity']] }],
    ),
  ],
];

function verifyWithJwk(jwk: JsonWebKey, data: string, sig: string): boolean {
  const key = importPublicJwk(jwk);
  const signature = Buffer.from(sig, 'base64url');
  return key.asymmetricKeyType === 'ed25519'
    ? nodeVerify(null, Buffer.from(data), key, signature)
    : nodeVerify('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' }, signature);
}

let t: TestWallet;
let issuer: PeerIssuer;
const claims = identityClaims();

beforeAll(async () => {
  t = await newTestWallet();
  issuer = createPeerIssuer('EdDSA');
  await importCredential(t.wallet, await issueIdentity(issuer, t.key.publicJwk, { claims, decoys: 1 }));
});
afterAll(async () => t.cleanup());

describe('DCQL: our matcher against the dcql library', () => {
  for (const [name, query] of QUERIES) {
    it(`${name}: same verdict, and what we disclose satisfies the query for dcql`, async () => {
      const parsed = DcqlQuery.parse(query as DcqlQuery.Input);
      DcqlQuery.validate(parsed);
      const theirs = DcqlQuery.query(parsed, [{ credential_format: 'dc+sd-jwt', vct, claims: claims as never, cryptographic_holder_binding: true }]);

      let ours: Awaited<ReturnType<typeof createPresentation>> | undefined;
      try {
        ours = await createPresentation(t.wallet, { dcql: query, aud: 'https://rp.example', nonce: 'dcql-interop' });
      } catch (err) {
        if (!isNetcredError(err, 'DCQL_NOT_SATISFIED')) throw err;
      }
      expect(ours !== undefined).toBe(theirs.can_be_satisfied);
      if (!ours) return;

      // Verify what we sent with @sd-jwt/core, then let dcql judge the disclosed claims only.
      const sdJwt = new SDJwtInstance<Record<string, unknown>>({
        hasher: (data: string | ArrayBuffer) =>
          createHash('sha256')
            .update(typeof data === 'string' ? data : Buffer.from(data))
            .digest(),
        verifier: (data: string, sig: string) => verifyWithJwk(issuer.publicJwk, data, sig),
        kbVerifier: (data: string, sig: string, payload: Record<string, unknown>) => verifyWithJwk((payload.cnf as { jwk: JsonWebKey }).jwk, data, sig),
      });
      const presentations: Parameters<typeof DcqlPresentationResult.fromDcqlPresentation>[0] = {};
      for (const [id, [p]] of Object.entries(ours.vpToken)) {
        const verified = await sdJwt.verify(p!, { keyBindingNonce: 'dcql-interop' });
        expect(verified.kb?.payload.aud).toBe('https://rp.example');
        const { iss, iat, exp, cnf, vct: v, status, ...disclosed } = verified.payload as Record<string, unknown>;
        void iss, iat, exp, cnf, status;
        // Never more than asked: every disclosed top-level claim is named by a claim path of the query.
        const asked = new Set(query.credentials.find((c) => c.id === id)!.claims!.map((c) => c.path[0]));
        for (const k of Object.keys(disclosed)) expect(asked.has(k), `${k} was not asked for`).toBe(true);
        presentations[id] = { credential_format: 'dc+sd-jwt', vct: v as string, claims: disclosed as never, cryptographic_holder_binding: true };
      }
      const result = DcqlPresentationResult.fromDcqlPresentation(presentations, { dcqlQuery: parsed });
      expect(result.can_be_satisfied).toBe(true);
    });
  }
});
