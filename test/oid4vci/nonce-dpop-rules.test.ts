import { createHmac, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDpopKey, createDpopProof, type DpopKey, StorageError } from '../../core/index.js';
import { DpopNonceError, DpopProofError, jwkThumbprintOf } from '../../core/oauth/dpop.js';
import type { IssuerContext } from '../../issuer/index.js';
import { OID4VCI_LIMITS, OID4VCI_PATHS } from '../../issuer/oid4vci/config.js';
import { checkDpop, type DpopUse, dpopNonceAccepted, issueDpopNonce } from '../../issuer/oid4vci/dpop.js';
import { Oid4vciError } from '../../issuer/oid4vci/errors.js';
import { issueNonce, nonceExpiry, takeNonce } from '../../issuer/oid4vci/nonce.js';
import { secretHash } from '../../issuer/oid4vci/secrets.js';
import { transaction } from '../../issuer/oid4vci/store.js';
import { storeHealth } from '../../issuer/store/health.js';
import { initTestIssuer, type UnservedTestIssuer } from '../helpers/issuer.js';

/**
 * One test per rule of the issuer's c_nonce (issuer/oid4vci/nonce.ts, OpenID4VCI 1.0 section 7) and
 * DPoP handling (issuer/oid4vci/dpop.ts, RFC 9449), called in this process against one real
 * issuer (SQLite in a temp dir): no HTTP server.
 */

const ISSUER = 'https://issuer.example/netcred';
let issuer: UnservedTestIssuer;
let ctx: IssuerContext;

beforeAll(async () => {
  issuer = await initTestIssuer({ publicUrl: `${ISSUER}/` });
  ctx = issuer.ctx;
});
afterAll(async () => {
  await issuer?.close();
});

const NOW = 1_800_000_000;
// The key purposes, written out: nonces handed out before an upgrade must still verify after it.
const NONCE_KEY_PURPOSE = 'oid4vci-c-nonce';
const DPOP_NONCE_KEY_PURPOSE = 'oid4vci-dpop-nonce';
const NONCE_FORM = /^[A-Za-z0-9_-]{48}$/;

/** A nonce in the issuer's format (expiry || 16 random bytes || HMAC-SHA256/128) under the key of `purpose`. */
function forged(purpose: string, expiresAt: number, key = ctx.deriveKey(purpose)): string {
  const body = Buffer.alloc(20);
  body.writeUInt32BE(expiresAt, 0);
  randomBytes(16).copy(body, 4);
  const tag = createHmac('sha256', key).update(body).digest().subarray(0, 16);
  return Buffer.concat([body, tag]).toString('base64url');
}

/** The same nonce with one character changed at `index`. */
function altered(nonce: string, index: number): string {
  const c = nonce[index] === 'A' ? 'B' : 'A';
  return `${nonce.slice(0, index)}${c}${nonce.slice(index + 1)}`;
}

const take = (nonce: string, now: number) => transaction(ctx.dataSource, (sql) => takeNonce(ctx, sql, nonce, now));

describe('c_nonce (OpenID4VCI 1.0 section 7): issueNonce and nonceExpiry', () => {
  it(`a c_nonce is 48 base64url characters and expires nonceTtl (${OID4VCI_LIMITS.nonceTtl} s) after it was handed out`, () => {
    expect(OID4VCI_LIMITS.nonceTtl).toBe(300);
    const n = issueNonce(ctx, NOW);
    expect(n.expiresAt).toBe(NOW + 300);
    expect(n.c_nonce).toMatch(NONCE_FORM);
    expect(nonceExpiry(ctx, n.c_nonce)).toBe(NOW + 300);
    expect(Buffer.from(n.c_nonce, 'base64url').readUInt32BE(0)).toBe(NOW + 300);
  });

  it('each c_nonce is new (16 random bytes)', () => {
    const a = issueNonce(ctx, NOW).c_nonce;
    const b = issueNonce(ctx, NOW).c_nonce;
    expect(a).not.toBe(b);
    expect(Buffer.from(a, 'base64url').subarray(4, 20).equals(Buffer.from(b, 'base64url').subarray(4, 20))).toBe(false);
  });

  it('the default time is now', () => {
    const before = Math.floor(Date.now() / 1000);
    const { expiresAt } = issueNonce(ctx);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 300);
    expect(expiresAt).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 300);
  });

  it('a nonce in our format under our c_nonce key is read back: the MAC is HMAC-SHA256 of the body, truncated to 16 bytes', () => {
    expect(nonceExpiry(ctx, forged(NONCE_KEY_PURPOSE, NOW + 7))).toBe(NOW + 7);
  });

  it('a nonce of another form is not ours: wrong length, other characters', () => {
    const { c_nonce } = issueNonce(ctx, NOW);
    for (const v of ['', c_nonce.slice(1), `${c_nonce}A`, `${c_nonce.slice(0, 47)}=`, `${c_nonce.slice(0, 47)}+`, ` ${c_nonce.slice(1)}`, `${c_nonce}\n`])
      expect(nonceExpiry(ctx, v)).toBeUndefined();
  });

  it('an altered nonce (expiry, random part or MAC) is not ours', () => {
    const { c_nonce } = issueNonce(ctx, NOW);
    for (const i of [0, 5, 20, 30, 47]) expect(nonceExpiry(ctx, altered(c_nonce, i))).toBeUndefined();
  });

  it('a nonce MACed with another key is not ours: the DPoP nonce key, another secret', () => {
    expect(nonceExpiry(ctx, forged(DPOP_NONCE_KEY_PURPOSE, NOW + 300))).toBeUndefined();
    expect(nonceExpiry(ctx, issueDpopNonce(ctx, NOW))).toBeUndefined();
    expect(nonceExpiry(ctx, forged(NONCE_KEY_PURPOSE, NOW + 300, randomBytes(32)))).toBeUndefined();
  });
});

describe('c_nonce: takeNonce (single use, expiry)', () => {
  it('a c_nonce is spent once: the second take is refused', async () => {
    const { c_nonce } = issueNonce(ctx, NOW);
    expect(await take(c_nonce, NOW)).toBe(true);
    expect(await take(c_nonce, NOW)).toBe(false);
    expect(await take(c_nonce, NOW + 1)).toBe(false);
  });

  it('a c_nonce is taken until one second before its expiry, not at it; a stale one is not spent', async () => {
    const { c_nonce, expiresAt } = issueNonce(ctx, NOW);
    expect(await take(c_nonce, expiresAt)).toBe(false);
    expect(await take(c_nonce, expiresAt + 1)).toBe(false);
    // The refusals above recorded nothing: the nonce is still good just before.
    expect(await take(c_nonce, expiresAt - 1)).toBe(true);
  });

  it('the use is recorded as the hash of the nonce, kept until its expiry', async () => {
    const { c_nonce, expiresAt } = issueNonce(ctx, NOW + 1000);
    expect(await take(c_nonce, NOW)).toBe(true);
    const rows = (await ctx.dataSource.query('SELECT "expires_at" FROM "oid4vci_nonce" WHERE "nonce_hash" = ?', [secretHash(c_nonce)])) as {
      expires_at: number;
    }[];
    expect(rows.map((r) => Number(r.expires_at))).toEqual([expiresAt]);
  });

  it('an unknown, altered or foreign nonce is refused (and not recorded)', async () => {
    const { c_nonce } = issueNonce(ctx, NOW);
    for (const v of ['not-a-nonce', altered(c_nonce, 30), issueDpopNonce(ctx, NOW), forged(NONCE_KEY_PURPOSE, NOW + 300, randomBytes(32))])
      expect(await take(v, NOW)).toBe(false);
    expect(await take(c_nonce, NOW)).toBe(true);
  });
});

describe('DPoP server nonce (RFC 9449 section 8): issueDpopNonce and dpopNonceAccepted', () => {
  it(`a DPoP nonce is 48 base64url characters, accepted for dpopNonceTtl (${OID4VCI_LIMITS.dpopNonceTtl} s): until the second before, not at it`, () => {
    expect(OID4VCI_LIMITS.dpopNonceTtl).toBe(300);
    const n = issueDpopNonce(ctx, NOW);
    expect(n).toMatch(NONCE_FORM);
    expect(Buffer.from(n, 'base64url').readUInt32BE(0)).toBe(NOW + 300);
    expect(dpopNonceAccepted(ctx, n, NOW)).toBe(true);
    expect(dpopNonceAccepted(ctx, n, NOW + 299)).toBe(true);
    expect(dpopNonceAccepted(ctx, n, NOW + 300)).toBe(false);
    expect(dpopNonceAccepted(ctx, n, NOW + 301)).toBe(false);
  });

  it('a DPoP nonce is not single use (the proof jti is): accepted again', () => {
    const n = issueDpopNonce(ctx, NOW);
    expect(dpopNonceAccepted(ctx, n, NOW)).toBe(true);
    expect(dpopNonceAccepted(ctx, n, NOW)).toBe(true);
  });

  it('each DPoP nonce is new; the default time is now', () => {
    expect(issueDpopNonce(ctx, NOW)).not.toBe(issueDpopNonce(ctx, NOW));
    const now = Math.floor(Date.now() / 1000);
    const n = issueDpopNonce(ctx);
    expect(dpopNonceAccepted(ctx, n, now + 298)).toBe(true);
    expect(dpopNonceAccepted(ctx, n, now + 301)).toBe(false);
  });

  it('a nonce in our format under our DPoP nonce key is accepted', () => {
    expect(dpopNonceAccepted(ctx, forged(DPOP_NONCE_KEY_PURPOSE, NOW + 1), NOW)).toBe(true);
  });

  it('a nonce of another form, altered, or MACed with another key is refused', () => {
    const n = issueDpopNonce(ctx, NOW);
    for (const v of ['', n.slice(1), `${n}A`, `${n.slice(0, 47)}=`, `${n.slice(0, 47)}/`, ...[0, 5, 20, 30, 47].map((i) => altered(n, i))])
      expect(dpopNonceAccepted(ctx, v, NOW)).toBe(false);
    expect(dpopNonceAccepted(ctx, issueNonce(ctx, NOW).c_nonce, NOW)).toBe(false);
    expect(dpopNonceAccepted(ctx, forged(NONCE_KEY_PURPOSE, NOW + 300), NOW)).toBe(false);
    expect(dpopNonceAccepted(ctx, forged(DPOP_NONCE_KEY_PURPOSE, NOW + 300, randomBytes(32)), NOW)).toBe(false);
  });
});

describe('checkDpop (RFC 9449): required or optional, nonce, jti replay, the error by role', () => {
  const tokenUrl = `${ISSUER}${OID4VCI_PATHS.token}`;
  const as = (over: Partial<DpopUse> = {}): DpopUse => ({ path: OID4VCI_PATHS.token, role: 'authorization-server', required: false, ...over });
  const rs = (over: Partial<DpopUse> = {}): DpopUse => ({ path: OID4VCI_PATHS.credential, role: 'resource-server', required: true, ...over });
  const now = () => Math.floor(Date.now() / 1000);
  const withNonce = (key: DpopKey, url = tokenUrl, extra: { accessToken?: string } = {}) =>
    createDpopProof(key, { method: 'POST', url, nonce: issueDpopNonce(ctx), ...extra });

  async function refusal(p: Promise<unknown>): Promise<unknown> {
    return p.then(
      (v) => ({ resolved: v }),
      (err: unknown) => err,
    );
  }
  async function asRefused(p: Promise<unknown>, error: 'invalid_dpop_proof' | 'use_dpop_nonce', message: string | RegExp): Promise<void> {
    const e = await refusal(p);
    expect(e).toBeInstanceOf(Oid4vciError);
    const err = e as Oid4vciError;
    expect(err.error).toBe(error);
    expect(err.code).toBe(error === 'use_dpop_nonce' ? 'OID4VCI_USE_DPOP_NONCE' : 'OID4VCI_INVALID_DPOP_PROOF');
    expect(err.status).toBe(400);
    if (typeof message === 'string') expect(err.message).toBe(message);
    else expect(err.message).toMatch(message);
    expect(err.cause).toBeInstanceOf(error === 'use_dpop_nonce' ? DpopNonceError : DpopProofError);
  }
  async function rsRefused(p: Promise<unknown>, cls: typeof DpopProofError | typeof DpopNonceError, message: string | RegExp): Promise<void> {
    const e = await refusal(p);
    expect(e).toBeInstanceOf(cls);
    expect(e).not.toBeInstanceOf(Oid4vciError);
    const err = e as DpopProofError;
    expect(err.code).toBe(cls === DpopNonceError ? 'DPOP_NONCE_REQUIRED' : 'DPOP_PROOF_INVALID');
    if (typeof message === 'string') expect(err.message).toBe(message);
    else expect(err.message).toMatch(message);
  }

  it('no DPoP header where none is required: undefined (a Bearer request)', async () => {
    expect(await checkDpop(ctx, undefined, as())).toBeUndefined();
    expect(await checkDpop(ctx, undefined, rs({ required: false }))).toBeUndefined();
  });

  it('no DPoP header where one is required: invalid_dpop_proof at the authorization server', async () => {
    await asRefused(checkDpop(ctx, undefined, as({ required: true })), 'invalid_dpop_proof', 'a DPoP proof is required (DPoP header)');
  });

  it('no DPoP header where one is required: the core DpopProofError (401) at the credential endpoint', async () => {
    await rsRefused(checkDpop(ctx, undefined, rs()), DpopProofError, 'a DPoP proof is required (DPoP header)');
  });

  it('a proof with a live server nonce is accepted, required or not: its key thumbprint comes back', async () => {
    const key = createDpopKey();
    const jkt = await jwkThumbprintOf(key.publicJwk);
    expect(await checkDpop(ctx, await withNonce(key), as())).toBe(jkt);
    expect(await checkDpop(ctx, await withNonce(key), as({ required: true }))).toBe(jkt);
    expect(await checkDpop(ctx, ` ${await withNonce(key)} `, as({ boundJkt: jkt }))).toBe(jkt);
  });

  it('the proof is for this issuer endpoint (htu = issuer identifier + path, POST)', async () => {
    const key = createDpopKey();
    await asRefused(
      checkDpop(ctx, await withNonce(key, `${ISSUER}${OID4VCI_PATHS.par}`), as()),
      'invalid_dpop_proof',
      `the DPoP proof htu must be ${tokenUrl}`,
    );
    await asRefused(
      checkDpop(ctx, await withNonce(key, `${ISSUER}/${OID4VCI_PATHS.token}`), as()),
      'invalid_dpop_proof',
      `the DPoP proof htu must be ${tokenUrl}`,
    );
    const get = await createDpopProof(key, { method: 'GET', url: tokenUrl, nonce: issueDpopNonce(ctx) });
    await asRefused(checkDpop(ctx, get, as()), 'invalid_dpop_proof', 'the DPoP proof htm must be POST');
  });

  it('a proof without the server nonce: use_dpop_nonce at the authorization server, DpopNonceError at the credential endpoint', async () => {
    const key = createDpopKey();
    const bare = () => createDpopProof(key, { method: 'POST', url: tokenUrl });
    await asRefused(checkDpop(ctx, await bare(), as()), 'use_dpop_nonce', 'a DPoP nonce from the server is required (DPoP-Nonce header)');
    await asRefused(checkDpop(ctx, await bare(), as({ required: true })), 'use_dpop_nonce', 'a DPoP nonce from the server is required (DPoP-Nonce header)');
    const at = 'an-access-token';
    const credentialProof = await createDpopProof(key, { method: 'POST', url: `${ISSUER}${OID4VCI_PATHS.credential}`, accessToken: at });
    await rsRefused(checkDpop(ctx, credentialProof, rs({ accessToken: at })), DpopNonceError, 'a DPoP nonce from the server is required (DPoP-Nonce header)');
  });

  it('a stale, foreign or c_nonce server nonce: use_dpop_nonce (a stale one is one handed out dpopNonceTtl ago)', async () => {
    const key = createDpopKey();
    const stale = 'the DPoP nonce is stale or not ours: use the one in the DPoP-Nonce header';
    for (const nonce of [issueDpopNonce(ctx, now() - 300), forged(DPOP_NONCE_KEY_PURPOSE, now() + 300, randomBytes(32)), issueNonce(ctx).c_nonce])
      await asRefused(checkDpop(ctx, await createDpopProof(key, { method: 'POST', url: tokenUrl, nonce }), as()), 'use_dpop_nonce', stale);
    // One handed out a little less long ago is still live.
    const live = issueDpopNonce(ctx, now() - 290);
    expect(await checkDpop(ctx, await createDpopProof(key, { method: 'POST', url: tokenUrl, nonce: live }), as())).toBe(await jwkThumbprintOf(key.publicJwk));
  });

  it('a replayed proof (same key, same jti) is refused: invalid_dpop_proof, or DpopProofError at the credential endpoint', async () => {
    const key = createDpopKey();
    const proof = await withNonce(key);
    expect(await checkDpop(ctx, proof, as())).toBe(await jwkThumbprintOf(key.publicJwk));
    await asRefused(checkDpop(ctx, proof, as()), 'invalid_dpop_proof', 'the DPoP proof jti was already used (replay)');
    await asRefused(checkDpop(ctx, proof, as({ required: true })), 'invalid_dpop_proof', 'the DPoP proof jti was already used (replay)');
    const at = 'another-access-token';
    const credentialProof = await withNonce(key, `${ISSUER}${OID4VCI_PATHS.credential}`, { accessToken: at });
    expect(await checkDpop(ctx, credentialProof, rs({ accessToken: at }))).toBe(await jwkThumbprintOf(key.publicJwk));
    await rsRefused(checkDpop(ctx, credentialProof, rs({ accessToken: at })), DpopProofError, 'the DPoP proof jti was already used (replay)');
  });

  it('the jti is remembered per key, until iat + dpopMaxAge + proofMaxSkew', async () => {
    const a = createDpopKey();
    const b = createDpopKey();
    const iat = now() - 10;
    const jti = `shared-jti-${randomBytes(8).toString('hex')}`;
    const signed = (k: DpopKey) =>
      new SignJWT({ htm: 'POST', htu: tokenUrl, jti, nonce: issueDpopNonce(ctx) })
        .setProtectedHeader({ alg: k.alg, typ: 'dpop+jwt', jwk: k.publicJwk })
        .setIssuedAt(iat)
        .sign(k.privateKey);
    const jktA = await jwkThumbprintOf(a.publicJwk);
    const jktB = await jwkThumbprintOf(b.publicJwk);
    expect(await checkDpop(ctx, await signed(a), as())).toBe(jktA);
    // The same jti from another key is another proof.
    expect(await checkDpop(ctx, await signed(b), as())).toBe(jktB);
    // A new proof of key a with the same jti is a replay.
    await asRefused(checkDpop(ctx, await signed(a), as()), 'invalid_dpop_proof', 'the DPoP proof jti was already used (replay)');
    expect(OID4VCI_LIMITS.dpopMaxAge).toBe(300);
    const rows = (await ctx.dataSource.query('SELECT "expires_at" FROM "oid4vci_jti" WHERE "jti_hash" = ?', [secretHash(`dpop:${jktA}:${jti}`)])) as {
      expires_at: number;
    }[];
    expect(rows.map((r) => Number(r.expires_at))).toEqual([iat + 300 + 60]);
  });

  it('a refused proof leaves its jti unused: the nonce check comes before the jti is recorded', async () => {
    const key = createDpopKey();
    const jti = `j-${randomBytes(8).toString('hex')}`;
    const iat = now();
    const make = (nonce?: string) =>
      new SignJWT({ htm: 'POST', htu: tokenUrl, jti, ...(nonce ? { nonce } : {}) })
        .setProtectedHeader({ alg: key.alg, typ: 'dpop+jwt', jwk: key.publicJwk })
        .setIssuedAt(iat)
        .sign(key.privateKey);
    await asRefused(checkDpop(ctx, await make(), as()), 'use_dpop_nonce', 'a DPoP nonce from the server is required (DPoP-Nonce header)');
    expect(await checkDpop(ctx, await make(issueDpopNonce(ctx)), as())).toBe(await jwkThumbprintOf(key.publicJwk));
  });

  it('the proof is checked with the use: the bound key, the access token hash, dpopMaxAge', async () => {
    const key = createDpopKey();
    const other = await jwkThumbprintOf(createDpopKey().publicJwk);
    await asRefused(
      checkDpop(ctx, await withNonce(key), as({ boundJkt: other })),
      'invalid_dpop_proof',
      'the DPoP proof is signed by another key than the one the token is bound to',
    );
    const credentialUrl = `${ISSUER}${OID4VCI_PATHS.credential}`;
    await rsRefused(
      checkDpop(ctx, await withNonce(key, credentialUrl, { accessToken: 'token-1' }), rs({ accessToken: 'token-2' })),
      DpopProofError,
      'the DPoP proof ath is not the hash of this access token',
    );
    const old = await createDpopProof(key, { method: 'POST', url: tokenUrl, nonce: issueDpopNonce(ctx) }, now() - 300 - 60 - 5);
    await asRefused(checkDpop(ctx, old, as()), 'invalid_dpop_proof', 'the DPoP proof is too old (more than 300 s)');
    // proofMaxSkew (60 s) either way: 30 s ahead or 330 s old is still fine; 90 s ahead is not.
    const jkt = await jwkThumbprintOf(key.publicJwk);
    const ahead = await createDpopProof(key, { method: 'POST', url: tokenUrl, nonce: issueDpopNonce(ctx) }, now() + 30);
    expect(await checkDpop(ctx, ahead, as())).toBe(jkt);
    const older = await createDpopProof(key, { method: 'POST', url: tokenUrl, nonce: issueDpopNonce(ctx) }, now() - 330);
    expect(await checkDpop(ctx, older, as())).toBe(jkt);
    const future = await createDpopProof(key, { method: 'POST', url: tokenUrl, nonce: issueDpopNonce(ctx) }, now() + 90);
    await asRefused(checkDpop(ctx, future, as()), 'invalid_dpop_proof', 'the DPoP proof was issued in the future');
  });

  it('a malformed or repeated DPoP header is invalid_dpop_proof', async () => {
    const key = createDpopKey();
    const p = await withNonce(key);
    await asRefused(checkDpop(ctx, [p, p], as()), 'invalid_dpop_proof', /more than one DPoP header/);
    await asRefused(checkDpop(ctx, 'not a jws', as({ required: true })), 'invalid_dpop_proof', /not a compact JWS/);
  });

  it('a storage fault while recording the jti stays a storage error (503, retry), not invalid_dpop_proof, and the proof is not spent', async () => {
    const key = createDpopKey();
    const proof = await withNonce(key);
    // SQLite refuses every write of this connection (SQLITE_READONLY) until query_only is off again.
    await ctx.dataSource.query('PRAGMA query_only = 1');
    let e: unknown;
    try {
      e = await refusal(checkDpop(ctx, proof, as()));
    } finally {
      await ctx.dataSource.query('PRAGMA query_only = 0');
    }
    expect(e).toBeInstanceOf(StorageError);
    expect(e).not.toBeInstanceOf(Oid4vciError);
    expect((e as StorageError).code).toBe('STORAGE_UNAVAILABLE');
    expect(storeHealth(ctx.dataSource)).toMatchObject({ status: 'degraded', code: 'STORAGE_UNAVAILABLE' });
    // Nothing was recorded: the same proof is accepted once the store takes writes, and the store is healthy again.
    expect(await checkDpop(ctx, proof, as())).toBe(await jwkThumbprintOf(key.publicJwk));
    expect(storeHealth(ctx.dataSource)).toEqual({ status: 'ok' });
  });
});
