import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope, keyObjectSigner, sdDigest, signCompact, unenvelope, VC_V2_CONTEXT } from '../../core/index.js';
import { newHolder, type Holder } from './fixtures.js';
import { initTestIssuer, type UnservedTestIssuer } from '../helpers/issuer.js';

let issuer: UnservedTestIssuer;
let holder: Holder;
let token: string;

beforeAll(async () => {
  issuer = await initTestIssuer();
  holder = newHolder('p256');
  const credential = {
    '@context': [VC_V2_CONTEXT],
    type: ['VerifiableCredential', 'ExampleMembershipCredential'],
    issuer: issuer.ctx.issuerDid,
    validUntil: '2099-01-01T00:00:00Z',
    credentialSubject: { id: holder.did, memberOf: 'Quzhou Library' },
  };
  const env = await issuer.ctx.agent.createVerifiableCredential({ credential, proofFormat: 'vc+sd-jwt' as never, cnf: { jwk: holder.jwk } });
  token = unenvelope(env)!.token;
});
afterAll(async () => {
  await issuer.close();
});

async function withKbJwt(payload: Record<string, unknown>): Promise<string> {
  const kb = { iat: Math.floor(Date.now() / 1000), aud: 'https://kiosk.example', nonce: 'n-0S6_WzA2Mj', sd_hash: sdDigest(token), ...payload };
  return `${token}${await signCompact({ typ: 'kb+jwt' }, kb, keyObjectSigner(holder.privateKey))}`;
}

async function verdict(t: string, mediaType: 'vc+sd-jwt' | 'vc+jwt' = 'vc+sd-jwt'): Promise<string> {
  const result = await issuer.ctx.agent.verifyCredential({ credential: envelope(mediaType, t) as never });
  return result.verified ? 'VERIFIED' : String(result.error?.errorCode);
}

describe("the issuer's W3C verification runs the core SD-JWT verification, key binding included", () => {
  it('accepts a fresh KB-JWT bound to cnf.jwk', async () => {
    expect(await verdict(await withKbJwt({}))).toBe('VERIFIED');
  });

  it('refuses an attached KB-JWT that is stale, from the future, without aud or nonce, or over other disclosures', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await verdict(await withKbJwt({ iat: now - 3600 }))).toBe('KB_JWT_STALE');
    expect(await verdict(await withKbJwt({ iat: now + 3600 }))).toBe('KB_JWT_STALE');
    expect(await verdict(await withKbJwt({ aud: '' }))).toBe('KB_JWT_AUD_MISMATCH');
    expect(await verdict(await withKbJwt({ nonce: undefined }))).toBe('KB_JWT_NONCE_MISMATCH');
    expect(await verdict(await withKbJwt({ sd_hash: sdDigest(`${token}x`) }))).toBe('KB_JWT_SD_HASH_MISMATCH');
  });

  it('refuses a KB-JWT signed by another key than cnf.jwk, and a vc+jwt carrying disclosures', async () => {
    const other = newHolder('p256');
    const kb = await signCompact(
      { typ: 'kb+jwt' },
      { iat: Math.floor(Date.now() / 1000), aud: 'a', nonce: 'n', sd_hash: sdDigest(token) },
      keyObjectSigner(other.privateKey),
    );
    expect(await verdict(`${token}${kb}`)).toBe('KB_JWT_INVALID');
    expect(await verdict(token, 'vc+jwt')).toBe('MALFORMED');
  });
});
