import { describe, expect, it } from 'vitest';
import { createPublicKey } from 'node:crypto';
import { b64uEncode, isNetcredError, sdDigest, verifySdJwt, type VerifySdJwtOptions } from '../../core/index.js';
import { AUD, encodeDisclosure, kbJwt, NOW, NOW_S, party, sdJwtOf, signJwt } from './helpers/fixture.js';

const issuer = party('ed25519');
const holder = party('p256');
const issuerPub = createPublicKey(issuer.priv);

const opts = (extra: Partial<VerifySdJwtOptions> = {}): VerifySdJwtOptions => ({ issuerKey: issuerPub, now: NOW, keyBinding: { required: false }, ...extra });

async function issue(payload: Record<string, unknown>, header: Record<string, unknown> = { typ: 'example+sd-jwt' }): Promise<string> {
  return signJwt(header, { iss: issuer.did, iat: NOW_S, ...payload }, issuer.priv);
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (!isNetcredError(err)) throw err;
    return err.code;
  }
  return 'ACCEPTED';
}

const d = (arr: unknown[]) => encodeDisclosure(arr);

describe('RFC 9901 section 7.1 reject rules (core)', () => {
  it('accepts a plain selective disclosure, ignores decoys and removes _sd/_sd_alg', async () => {
    const a = d(['salt-aaaaaaaaaaaaaaaa', 'given_name', 'Ada']);
    const jwt = await issue({ _sd: [sdDigest(a), sdDigest('decoy')].sort(), _sd_alg: 'sha-256', plain: 1 });
    const r = verifySdJwt(sdJwtOf(jwt, [a]), opts());
    expect(r.claims).toStrictEqual({ iss: issuer.did, iat: NOW_S, given_name: 'Ada', plain: 1 });
  });

  it('rejects a disclosure of the wrong length (DISCLOSURE_MALFORMED)', async () => {
    const bad = d(['salt', 'name', 'value', 'extra']);
    const jwt = await issue({ _sd: [sdDigest(bad)] });
    expect(codeOf(() => verifySdJwt(sdJwtOf(jwt, [bad]), opts()))).toBe('DISCLOSURE_MALFORMED');
  });

  it('rejects a disclosure that is not JSON (DISCLOSURE_MALFORMED)', async () => {
    const bad = b64uEncode('not json');
    const jwt = await issue({ _sd: [sdDigest(bad)] });
    expect(codeOf(() => verifySdJwt(sdJwtOf(jwt, [bad]), opts()))).toBe('DISCLOSURE_MALFORMED');
  });

  it.each(['_sd', '...'])('rejects the claim name %s in a disclosure (DISCLOSURE_FORBIDDEN_NAME)', async (name) => {
    const bad = d(['salt-aaaaaaaaaaaaaaaa', name, 'x']);
    const jwt = await issue({ _sd: [sdDigest(bad)] });
    expect(codeOf(() => verifySdJwt(sdJwtOf(jwt, [bad]), opts()))).toBe('DISCLOSURE_FORBIDDEN_NAME');
  });

  it('rejects a disclosed name already present in plain text (DISCLOSURE_NAME_COLLISION)', async () => {
    const a = d(['salt-aaaaaaaaaaaaaaaa', 'given_name', 'Eve']);
    const jwt = await issue({ given_name: 'Ada', _sd: [sdDigest(a)] });
    expect(codeOf(() => verifySdJwt(sdJwtOf(jwt, [a]), opts()))).toBe('DISCLOSURE_NAME_COLLISION');
  });

  it('rejects two disclosures of the same name at one level (DISCLOSURE_NAME_COLLISION)', async () => {
    const a = d(['salt-aaaaaaaaaaaaaaaa', 'given_name', 'Ada']);
    const b = d(['salt-bbbbbbbbbbbbbbbb', 'given_name', 'Eve']);
    const jwt = await issue({ _sd: [sdDigest(a), sdDigest(b)] });
    expect(codeOf(() => verifySdJwt(sdJwtOf(jwt, [a, b]), opts()))).toBe('DISCLOSURE_NAME_COLLISION');
  });

  it('rejects a digest listed twice in the payload (DISCLOSURE_DUPLICATE_DIGEST)', async () => {
    const a = d(['salt-aaaaaaaaaaaaaaaa', 'given_name', 'Ada']);
    const jwt = await issue({ _sd: [sdDigest(a)], address: { _sd: [sdDigest(a)] } });
    expect(codeOf(() => verifySdJwt(sdJwtOf(jwt, [a]), opts()))).toBe('DISCLOSURE_DUPLICATE_DIGEST');
  });

  it('rejects a digest repeated inside another disclosure (DISCLOSURE_DUPLICATE_DIGEST)', async () => {
    const inner = d(['salt-iiiiiiiiiiiiiiii', 'street', 'Main St']);
    const outer = d(['salt-oooooooooooooooo', 'address', { _sd: [sdDigest(inner)] }]);
    const jwt = await issue({ _sd: [sdDigest(outer), sdDigest(inner)] });
    expect(codeOf(() => verifySdJwt(sdJwtOf(jwt, [outer, inner]), opts()))).toBe('DISCLOSURE_DUPLICATE_DIGEST');
  });

  it('rejects a digest repeated in array elements, even without a disclosure (DISCLOSURE_DUPLICATE_DIGEST)', async () => {
    const digest = sdDigest('undisclosed');
    const jwt = await issue({ nationalities: [{ '...': digest }, { '...': digest }] });
    expect(codeOf(() => verifySdJwt(sdJwtOf(jwt, []), opts()))).toBe('DISCLOSURE_DUPLICATE_DIGEST');
  });

  it('rejects the same disclosure sent twice (DISCLOSURE_DUPLICATE_DIGEST)', async () => {
    const a = d(['salt-aaaaaaaaaaaaaaaa', 'given_name', 'Ada']);
    const jwt = await issue({ _sd: [sdDigest(a)] });
    expect(codeOf(() => verifySdJwt(sdJwtOf(jwt, [a, a]), opts()))).toBe('DISCLOSURE_DUPLICATE_DIGEST');
  });

  it('rejects a disclosure no digest references (DISCLOSURE_UNREFERENCED)', async () => {
    const a = d(['salt-aaaaaaaaaaaaaaaa', 'given_name', 'Ada']);
    const stray = d(['salt-ssssssssssssssss', 'age_over_18', true]);
    const jwt = await issue({ _sd: [sdDigest(a)] });
    expect(codeOf(() => verifySdJwt(sdJwtOf(jwt, [a, stray]), opts()))).toBe('DISCLOSURE_UNREFERENCED');
  });

  it('rejects an array-element disclosure referenced from _sd (DISCLOSURE_MALFORMED)', async () => {
    const el = d(['salt-aaaaaaaaaaaaaaaa', 'DE']);
    const jwt = await issue({ _sd: [sdDigest(el)] });
    expect(codeOf(() => verifySdJwt(sdJwtOf(jwt, [el]), opts()))).toBe('DISCLOSURE_MALFORMED');
  });

  it('rejects an object-property disclosure used as an array element (DISCLOSURE_MALFORMED)', async () => {
    const prop = d(['salt-aaaaaaaaaaaaaaaa', 'country', 'DE']);
    const jwt = await issue({ nationalities: [{ '...': sdDigest(prop) }] });
    expect(codeOf(() => verifySdJwt(sdJwtOf(jwt, [prop]), opts()))).toBe('DISCLOSURE_MALFORMED');
  });

  it('rejects an array digest object with other keys (DISCLOSURE_MALFORMED)', async () => {
    const el = d(['salt-aaaaaaaaaaaaaaaa', 'DE']);
    const jwt = await issue({ nationalities: [{ '...': sdDigest(el), other: 1 }] });
    expect(codeOf(() => verifySdJwt(sdJwtOf(jwt, [el]), opts()))).toBe('DISCLOSURE_MALFORMED');
  });

  it('removes undisclosed array elements and keeps disclosed ones in order', async () => {
    const de = d(['salt-aaaaaaaaaaaaaaaa', 'DE']);
    const fr = d(['salt-bbbbbbbbbbbbbbbb', 'FR']);
    const jwt = await issue({ nationalities: [{ '...': sdDigest(de) }, 'US', { '...': sdDigest(fr) }] });
    expect(verifySdJwt(sdJwtOf(jwt, [fr]), opts()).claims.nationalities).toStrictEqual(['US', 'FR']);
  });

  it('keeps a disclosed __proto__ as an own claim, never as a prototype', async () => {
    const p = d(['salt-aaaaaaaaaaaaaaaa', '__proto__', { admin: true }]);
    const jwt = await issue({ _sd: [sdDigest(p)] });
    const claims = verifySdJwt(sdJwtOf(jwt, [p]), opts()).claims;
    expect(Object.getPrototypeOf(claims)).toBe(Object.prototype);
    expect((claims as { admin?: boolean }).admin).toBeUndefined();
    expect(Object.hasOwn(claims, '__proto__')).toBe(true);
  });

  it('rejects an unsupported _sd_alg (SD_ALG_UNSUPPORTED)', async () => {
    const jwt = await issue({ _sd: [], _sd_alg: 'md5' });
    expect(codeOf(() => verifySdJwt(sdJwtOf(jwt, []), opts()))).toBe('SD_ALG_UNSUPPORTED');
  });

  it('rejects alg none and algorithms outside the allow-list (ALG_NOT_ALLOWED)', async () => {
    const none = `${b64uEncode(JSON.stringify({ alg: 'none', typ: 'dc+sd-jwt' }))}.${b64uEncode(JSON.stringify({ iss: issuer.did }))}.c2ln`;
    expect(codeOf(() => verifySdJwt(`${none}~`, opts()))).toBe('ALG_NOT_ALLOWED');
    const jwt = await issue({});
    expect(codeOf(() => verifySdJwt(sdJwtOf(jwt, []), opts({ algorithms: ['ES256'] })))).toBe('ALG_NOT_ALLOWED');
  });

  it('rejects a signature by another key (SIGNATURE_INVALID)', async () => {
    const jwt = await issue({});
    expect(codeOf(() => verifySdJwt(sdJwtOf(jwt, []), opts({ issuerKey: createPublicKey(party('ed25519').priv) })))).toBe('SIGNATURE_INVALID');
  });

  it('rejects input over the size bound before parsing (INPUT_TOO_LARGE)', () => {
    expect(codeOf(() => verifySdJwt('x'.repeat(70_000), opts()))).toBe('INPUT_TOO_LARGE');
    expect(codeOf(() => verifySdJwt('é'.repeat(40_000), opts()))).toBe('INPUT_TOO_LARGE');
  });

  it('rejects garbage as MALFORMED', () => {
    expect(codeOf(() => verifySdJwt('not an sd-jwt', opts()))).toBe('MALFORMED');
    expect(codeOf(() => verifySdJwt('a.b.c~', opts()))).toBe('MALFORMED');
  });

  it('rejects hostile nesting as INPUT_TOO_DEEP, not a stack overflow', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200; i++) deep = [deep];
    const jwt = await issue({ deep });
    expect(codeOf(() => verifySdJwt(sdJwtOf(jwt, []), opts()))).toBe('INPUT_TOO_DEEP');
  });
});

describe('key binding (core)', () => {
  const kbOpts = (extra: Record<string, unknown> = {}) => opts({ keyBinding: { required: true, aud: AUD, nonce: 'n1', maxAgeSeconds: 60, ...extra } });

  async function boundSdJwt(cnf: unknown = { jwk: holder.pub }): Promise<string> {
    const a = d(['salt-aaaaaaaaaaaaaaaa', 'given_name', 'Ada']);
    const jwt = await issue({ _sd: [sdDigest(a)], ...(cnf ? { cnf } : {}) });
    return sdJwtOf(jwt, [a]);
  }

  it('accepts a fresh KB-JWT', async () => {
    const sd = await boundSdJwt();
    const r = verifySdJwt(sd + (await kbJwt(sd, holder.priv, { nonce: 'n1' })), kbOpts());
    expect(r.kbJwt?.payload.nonce).toBe('n1');
    expect(r.holderJwk).toStrictEqual(holder.pub);
  });

  it('requires a KB-JWT when the policy says so (KB_JWT_MISSING)', async () => {
    const sd = await boundSdJwt();
    expect(codeOf(() => verifySdJwt(sd, kbOpts()))).toBe('KB_JWT_MISSING');
    expect(codeOf(() => verifySdJwt(sd, opts()))).toBe('ACCEPTED');
  });

  it('rejects a wrong typ (KB_JWT_INVALID)', async () => {
    const sd = await boundSdJwt();
    expect(codeOf(() => verifySdJwt(`${sd}x`, kbOpts()))).toBe('MALFORMED');
    const kb = await kbJwt(sd, holder.priv, { nonce: 'n1', typ: 'JWT' });
    expect(codeOf(() => verifySdJwt(sd + kb, kbOpts()))).toBe('KB_JWT_INVALID');
  });

  it('rejects a KB-JWT signed by another key (KB_JWT_INVALID)', async () => {
    const sd = await boundSdJwt();
    const kb = await kbJwt(sd, party('p256').priv, { nonce: 'n1' });
    expect(codeOf(() => verifySdJwt(sd + kb, kbOpts()))).toBe('KB_JWT_INVALID');
  });

  it('rejects a KB-JWT on a credential without cnf (KB_JWT_INVALID)', async () => {
    const sd = await boundSdJwt(null);
    const kb = await kbJwt(sd, holder.priv, { nonce: 'n1' });
    expect(codeOf(() => verifySdJwt(sd + kb, kbOpts()))).toBe('KB_JWT_INVALID');
  });

  it('checks a KB-JWT that is sent even when the policy does not require one', async () => {
    const sd = await boundSdJwt();
    const kb = await kbJwt(sd, party('p256').priv, { nonce: 'n1' });
    expect(codeOf(() => verifySdJwt(sd + kb, opts()))).toBe('KB_JWT_INVALID');
  });

  it('rejects an sd_hash over other disclosures (KB_JWT_SD_HASH_MISMATCH)', async () => {
    const sd = await boundSdJwt();
    const kb = await kbJwt(sd, holder.priv, { nonce: 'n1', sdHash: sdDigest(`${sd.split('~')[0]}~`) });
    expect(codeOf(() => verifySdJwt(sd + kb, kbOpts()))).toBe('KB_JWT_SD_HASH_MISMATCH');
  });

  it('rejects a KB-JWT signature in non-canonical base64url (same bytes, different string)', async () => {
    const sd = await boundSdJwt();
    const kb = await kbJwt(sd, holder.priv, { nonce: 'n1' });
    const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = A.indexOf(kb.at(-1)!);
    const twin = kb.slice(0, -1) + A[last ^ 1]; // the low bits of the last character are unused
    expect(Buffer.from(twin.split('.')[2]!, 'base64url')).toStrictEqual(Buffer.from(kb.split('.')[2]!, 'base64url'));
    expect(codeOf(() => verifySdJwt(sd + twin, kbOpts()))).toBe('KB_JWT_INVALID');
  });

  it('rejects another audience (KB_JWT_AUD_MISMATCH)', async () => {
    const sd = await boundSdJwt();
    const kb = await kbJwt(sd, holder.priv, { nonce: 'n1', aud: 'https://evil.example' });
    expect(codeOf(() => verifySdJwt(sd + kb, kbOpts()))).toBe('KB_JWT_AUD_MISMATCH');
  });

  it('rejects another nonce (KB_JWT_NONCE_MISMATCH)', async () => {
    const sd = await boundSdJwt();
    const kb = await kbJwt(sd, holder.priv, { nonce: 'n2' });
    expect(codeOf(() => verifySdJwt(sd + kb, kbOpts()))).toBe('KB_JWT_NONCE_MISMATCH');
  });

  it('rejects a KB-JWT older than the max age or from the future (KB_JWT_STALE)', async () => {
    const sd = await boundSdJwt();
    const old = await kbJwt(sd, holder.priv, { nonce: 'n1', iat: NOW_S - 60 - 60 - 1 });
    expect(codeOf(() => verifySdJwt(sd + old, kbOpts()))).toBe('KB_JWT_STALE');
    const future = await kbJwt(sd, holder.priv, { nonce: 'n1', iat: NOW_S + 3600 });
    expect(codeOf(() => verifySdJwt(sd + future, kbOpts()))).toBe('KB_JWT_STALE');
    const fresh = await kbJwt(sd, holder.priv, { nonce: 'n1', iat: NOW_S - 30 });
    expect(codeOf(() => verifySdJwt(sd + fresh, kbOpts()))).toBe('ACCEPTED');
  });
});
