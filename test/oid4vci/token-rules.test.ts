import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPkcePair } from '../../core/index.js';
import type { IssuerContext } from '../../issuer/index.js';
import { OID4VCI_LIMITS } from '../../issuer/oid4vci/config.js';
import { createEnrollmentOffer, type EnrollmentInput } from '../../issuer/oid4vci/enroll.js';
import { Oid4vciError } from '../../issuer/oid4vci/errors.js';
import { secretHash } from '../../issuer/oid4vci/secrets.js';
import { nowSeconds } from '../../issuer/oid4vci/store.js';
import { approveAuthorization } from '../../issuer/oid4vci/approve.js';
import { continueAuthorization, sessionCookieName, startAuthorization } from '../../issuer/oid4vci/authorize.js';
import { exchangeAuthorizationCode } from '../../issuer/oid4vci/token-code.js';
import { exchangePreAuthorizedCode } from '../../issuer/oid4vci/token.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { initTestIssuer, type UnservedTestIssuer } from '../helpers/issuer.js';
import { enrollmentBody, preAuthCodeOf } from './helpers.js';

/**
 * One test per rule of the token endpoint's grants: the pre-authorized code (issuer/oid4vci/token.ts,
 * OpenID4VCI 1.0 section 6, RFC 6749 section 5.2) and the authorization code (token-code.ts, RFC 6749
 * 4.1.3, RFC 7636, RFC 9449), called in this process against one real issuer (SQLite in a temp dir),
 * with offers made by the admin enrollment function and codes by the authorization functions.
 */

let issuer: UnservedTestIssuer;
let ctx: IssuerContext;

beforeAll(async () => {
  issuer = await initTestIssuer({ oauth: { authorizationCode: true } });
  ctx = issuer.ctx;
});
afterAll(async () => {
  await issuer?.close();
});

// The wire values, written out: a mutant of the source's constants must not change the expectation too.
const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const CLOSED = 'the pre-authorized code was already used, burned or has expired';
const UNKNOWN = 'the pre-authorized code is unknown or has expired';
const JKT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';

async function newOffer(txCode = false): Promise<{ id: string; code: string; txCode?: string }> {
  const o = await createEnrollmentOffer(ctx, enrollmentBody(sampleIdentityClaims(), { txCode }) as EnrollmentInput);
  if (txCode) expect(o.txCode).toMatch(/^\d{6}$/);
  return { id: o.offerId, code: preAuthCodeOf(o.offer), txCode: o.txCode };
}

/** Another 6-digit code than `right`. */
const wrong = (right: string, i = 1) => `${right.slice(0, 5)}${(Number(right[5]) + i) % 10}`;

const body = (code: string, extra: Record<string, unknown> = {}) => ({ grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': code, ...extra });

const exchange = (b: Record<string, unknown>, options?: { dpopJkt?: string }) => exchangePreAuthorizedCode(ctx, b, options);

async function refused(
  p: Promise<unknown>,
  error: 'invalid_request' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_dpop_proof',
  message: string,
): Promise<void> {
  const e = await p.then(
    (v) => ({ resolved: v }),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(Oid4vciError);
  const err = e as Oid4vciError;
  expect(err.error).toBe(error);
  expect(err.code).toBe(`OID4VCI_${error.toUpperCase()}`);
  expect(err.status).toBe(400);
  expect(err.message).toBe(message);
}

type OfferDbRow = { state: string; tx_failures: number; claims_sealed: string | null; offer_sealed: string | null };
async function offerRow(id: string): Promise<OfferDbRow> {
  const [row] = (await ctx.dataSource.query('SELECT "state","tx_failures","claims_sealed","offer_sealed" FROM "oid4vci_offer" WHERE "id" = ?', [
    id,
  ])) as OfferDbRow[];
  return { ...row!, tx_failures: Number(row!.tx_failures) };
}

type TokenDbRow = { offer_id: string; created_at: number; expires_at: number; dpop_jkt: string | null };
async function tokenRow(accessToken: string): Promise<TokenDbRow | undefined> {
  return (
    (await ctx.dataSource.query('SELECT "offer_id","created_at","expires_at","dpop_jkt" FROM "oid4vci_access_token" WHERE "token_hash" = ?', [
      secretHash(accessToken),
    ])) as TokenDbRow[]
  )[0];
}

describe('token request parameters (RFC 6749 section 4.1.3, OpenID4VCI 1.0 section 6.1)', () => {
  it('grant_type is required', async () => {
    await refused(exchange({}), 'invalid_request', 'grant_type is missing');
    await refused(exchange({ 'pre-authorized_code': 'x' }), 'invalid_request', 'grant_type is missing');
  });

  it('only the pre-authorized code grant is supported here (unsupported_grant_type)', async () => {
    for (const grant_type of ['authorization_code', '', 'client_credentials', `${PRE_AUTHORIZED_GRANT} `, PRE_AUTHORIZED_GRANT.toUpperCase()])
      await refused(exchange({ grant_type, 'pre-authorized_code': 'x' }), 'unsupported_grant_type', `only ${PRE_AUTHORIZED_GRANT} is supported`);
  });

  it('a parameter sent twice (an array) or not as a string is refused (RFC 6749 section 3.2)', async () => {
    const { code } = await newOffer();
    for (const v of [[PRE_AUTHORIZED_GRANT, PRE_AUTHORIZED_GRANT], [PRE_AUTHORIZED_GRANT], 1, null])
      await refused(exchange({ grant_type: v, 'pre-authorized_code': code }), 'invalid_request', 'grant_type must be sent once, as a string');
    for (const v of [[code, code], [code], 42, null])
      await refused(exchange(body('x', { 'pre-authorized_code': v })), 'invalid_request', 'pre-authorized_code must be sent once, as a string');
    for (const v of [['123456', '123456'], 123456, null])
      await refused(exchange(body(code, { tx_code: v })), 'invalid_request', 'tx_code must be sent once, as a string');
    // None of these used the code.
    expect((await exchange(body(code))).token_type).toBe('Bearer');
  });

  it('pre-authorized_code is required and not empty', async () => {
    await refused(exchange({ grant_type: PRE_AUTHORIZED_GRANT }), 'invalid_request', 'pre-authorized_code is missing');
    await refused(exchange(body('')), 'invalid_request', 'pre-authorized_code is missing');
  });

  it('pre-authorized_code is at most 512 characters: 512 is looked up, 513 refused unread', async () => {
    await refused(exchange(body('c'.repeat(513))), 'invalid_request', 'parameter too long');
    await refused(exchange(body('c'.repeat(512))), 'invalid_grant', UNKNOWN);
  });

  it('tx_code is at most 64 characters: 64 is looked up, 65 refused unread (and not counted)', async () => {
    await refused(exchange(body('unknown-code', { tx_code: '1'.repeat(65) })), 'invalid_request', 'parameter too long');
    await refused(exchange(body('unknown-code', { tx_code: '1'.repeat(64) })), 'invalid_grant', UNKNOWN);
    const offer = await newOffer(true);
    await refused(exchange(body(offer.code, { tx_code: '1'.repeat(65) })), 'invalid_request', 'parameter too long');
    expect((await offerRow(offer.id)).tx_failures).toBe(0);
    await refused(exchange(body(offer.code, { tx_code: '1'.repeat(64) })), 'invalid_grant', 'wrong tx_code (4 tries left)');
  });

  it('an unknown code is invalid_grant, with or without tx_code', async () => {
    await refused(exchange(body('no-such-code')), 'invalid_grant', UNKNOWN);
    await refused(exchange(body('no-such-code', { tx_code: '123456' })), 'invalid_grant', UNKNOWN);
  });
});

describe('the pre-authorized code: single use, token_type, expires_in', () => {
  it(`an offer without tx_code: a Bearer token for accessTokenTtl (${OID4VCI_LIMITS.accessTokenTtl} s), stored hashed; the offer is redeemed`, async () => {
    expect(OID4VCI_LIMITS.accessTokenTtl).toBe(300);
    const offer = await newOffer();
    const t = await exchange(body(offer.code));
    expect(t).toEqual({ access_token: expect.stringMatching(/^[A-Za-z0-9_-]{20,}$/), token_type: 'Bearer', expires_in: 300 });
    const row = await tokenRow(t.access_token);
    expect(row).toMatchObject({ offer_id: offer.id, dpop_jkt: null });
    expect(Number(row!.expires_at) - Number(row!.created_at)).toBe(300);
    expect((await offerRow(offer.id)).state).toBe('redeemed');
  });

  it('the code is single use: a second exchange gets the closed answer, with or without tx_code', async () => {
    const offer = await newOffer();
    await exchange(body(offer.code));
    await refused(exchange(body(offer.code)), 'invalid_grant', CLOSED);
    await refused(exchange(body(offer.code, { tx_code: '123456' })), 'invalid_grant', CLOSED);
  });

  it('two exchanges of one code at once: exactly one token', async () => {
    const offer = await newOffer();
    const results = await Promise.allSettled([exchange(body(offer.code)), exchange(body(offer.code)), exchange(body(offer.code))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ error: 'invalid_grant', message: CLOSED });
  });

  it('with a DPoP key (RFC 9449 section 5): token_type DPoP and the token bound to its thumbprint (offer without tx_code)', async () => {
    const offer = await newOffer();
    const t = await exchange(body(offer.code), { dpopJkt: JKT });
    expect(t.token_type).toBe('DPoP');
    expect(t.expires_in).toBe(300);
    expect((await tokenRow(t.access_token))?.dpop_jkt).toBe(JKT);
  });

  it('with a DPoP key: token_type DPoP and the token bound to its thumbprint (offer with tx_code)', async () => {
    const offer = await newOffer(true);
    const t = await exchange(body(offer.code, { tx_code: offer.txCode }), { dpopJkt: JKT });
    expect(t).toEqual({ access_token: expect.any(String), token_type: 'DPoP', expires_in: 300 });
    const row = await tokenRow(t.access_token);
    expect(row).toMatchObject({ offer_id: offer.id, dpop_jkt: JKT });
    expect(Number(row!.expires_at) - Number(row!.created_at)).toBe(300);
    expect((await offerRow(offer.id)).state).toBe('redeemed');
  });

  it('an expired offer gets the closed answer, with or without tx_code', async () => {
    const plain = await newOffer();
    const withTx = await newOffer(true);
    // Expiring in the current second: expired from now on (expires_at <= now).
    const now = nowSeconds();
    await ctx.dataSource.query('UPDATE "oid4vci_offer" SET "expires_at" = ? WHERE "id" IN (?, ?)', [now, plain.id, withTx.id]);
    await refused(exchange(body(plain.code)), 'invalid_grant', CLOSED);
    await refused(exchange(body(withTx.code, { tx_code: withTx.txCode })), 'invalid_grant', CLOSED);
  });

  it('an expired offer compares no tx_code: a wrong one gets the closed answer and is not counted; a sent one where none is expected too', async () => {
    const withTx = await newOffer(true);
    const plain = await newOffer();
    await ctx.dataSource.query('UPDATE "oid4vci_offer" SET "expires_at" = ? WHERE "id" IN (?, ?)', [nowSeconds(), withTx.id, plain.id]);
    await refused(exchange(body(withTx.code, { tx_code: wrong(withTx.txCode!) })), 'invalid_grant', CLOSED);
    await refused(exchange(body(plain.code, { tx_code: '123456' })), 'invalid_grant', CLOSED);
    expect((await offerRow(withTx.id)).tx_failures).toBe(0);
  });

  it('an offer that has not expired is exchanged (expiry a minute ahead)', async () => {
    const withTx = await newOffer(true);
    await ctx.dataSource.query('UPDATE "oid4vci_offer" SET "expires_at" = ? WHERE "id" = ?', [nowSeconds() + 60, withTx.id]);
    expect((await exchange(body(withTx.code, { tx_code: withTx.txCode }))).token_type).toBe('Bearer');
  });
});

describe('tx_code (OpenID4VCI 1.0 section 6.1): required, not expected, 5 tries', () => {
  it('an offer without tx_code refuses one (even empty), and the code still works after', async () => {
    const offer = await newOffer();
    await refused(exchange(body(offer.code, { tx_code: '123456' })), 'invalid_request', 'this offer has no tx_code, but one was sent');
    await refused(exchange(body(offer.code, { tx_code: '' })), 'invalid_request', 'this offer has no tx_code, but one was sent');
    expect((await exchange(body(offer.code))).token_type).toBe('Bearer');
  });

  it('an offer with tx_code requires it (missing or empty); that is not counted as a wrong try', async () => {
    const offer = await newOffer(true);
    await refused(exchange(body(offer.code)), 'invalid_request', 'this offer requires a tx_code');
    await refused(exchange(body(offer.code, { tx_code: '' })), 'invalid_request', 'this offer requires a tx_code');
    expect(await offerRow(offer.id)).toMatchObject({ state: 'pending', tx_failures: 0 });
    await refused(exchange(body(offer.code, { tx_code: wrong(offer.txCode!) })), 'invalid_grant', 'wrong tx_code (4 tries left)');
  });

  it(`each wrong tx_code says the exact tries left; the ${OID4VCI_LIMITS.txCodeMaxTries}th burns the offer and erases its claims`, async () => {
    expect(OID4VCI_LIMITS.txCodeMaxTries).toBe(5);
    const offer = await newOffer(true);
    const right = offer.txCode!;
    for (const [i, left] of ['4 tries', '3 tries', '2 tries', '1 try'].entries()) {
      await refused(exchange(body(offer.code, { tx_code: wrong(right, i + 1) })), 'invalid_grant', `wrong tx_code (${left} left)`);
      expect(await offerRow(offer.id)).toMatchObject({ state: 'pending', tx_failures: i + 1 });
    }
    await refused(exchange(body(offer.code, { tx_code: wrong(right, 5) })), 'invalid_grant', 'wrong tx_code; the pre-authorized code is now burned');
    expect(await offerRow(offer.id)).toEqual({ state: 'burned', tx_failures: 5, claims_sealed: null, offer_sealed: null });
  });

  it('a burned offer gives every request the closed answer, the right tx_code included, and counts nothing more', async () => {
    const offer = await newOffer(true);
    for (let i = 1; i <= 5; i++) await exchange(body(offer.code, { tx_code: wrong(offer.txCode!, i) })).catch(() => undefined);
    expect((await offerRow(offer.id)).state).toBe('burned');
    await refused(exchange(body(offer.code, { tx_code: offer.txCode })), 'invalid_grant', CLOSED);
    await refused(exchange(body(offer.code, { tx_code: wrong(offer.txCode!) })), 'invalid_grant', CLOSED);
    await refused(exchange(body(offer.code)), 'invalid_grant', CLOSED);
    await refused(exchange(body(offer.code, { tx_code: '' })), 'invalid_grant', CLOSED);
    expect((await offerRow(offer.id)).tx_failures).toBe(5);
  });

  it('the right tx_code after 4 wrong ones still redeems the offer', async () => {
    const offer = await newOffer(true);
    for (let i = 1; i <= 4; i++) await exchange(body(offer.code, { tx_code: wrong(offer.txCode!, i) })).catch(() => undefined);
    expect(await offerRow(offer.id)).toMatchObject({ state: 'pending', tx_failures: 4 });
    const t = await exchange(body(offer.code, { tx_code: offer.txCode }));
    expect(t).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 300 });
    expect((await tokenRow(t.access_token))?.offer_id).toBe(offer.id);
    // And only once.
    await refused(exchange(body(offer.code, { tx_code: offer.txCode })), 'invalid_grant', CLOSED);
  });

  it('a pending offer that already counts txCodeMaxTries failures is closed, even to the right tx_code', async () => {
    const offer = await newOffer(true);
    await ctx.dataSource.query('UPDATE "oid4vci_offer" SET "tx_failures" = ? WHERE "id" = ?', [5, offer.id]);
    await refused(exchange(body(offer.code, { tx_code: offer.txCode })), 'invalid_grant', CLOSED);
    const other = await newOffer(true);
    await ctx.dataSource.query('UPDATE "oid4vci_offer" SET "tx_failures" = ? WHERE "id" = ?', [4, other.id]);
    await refused(exchange(body(other.code, { tx_code: wrong(other.txCode!) })), 'invalid_grant', 'wrong tx_code; the pre-authorized code is now burned');
  });

  it('wrong tx_codes sent at once are each counted: exactly 5 compared, the rest closed', async () => {
    const offer = await newOffer(true);
    const results = await Promise.allSettled(Array.from({ length: 7 }, (_, i) => exchange(body(offer.code, { tx_code: wrong(offer.txCode!, (i % 9) + 1) }))));
    const messages = results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'token')).sort();
    expect(messages).toEqual(
      [
        CLOSED,
        CLOSED,
        'wrong tx_code (1 try left)',
        'wrong tx_code (2 tries left)',
        'wrong tx_code (3 tries left)',
        'wrong tx_code (4 tries left)',
        'wrong tx_code; the pre-authorized code is now burned',
      ].sort(),
    );
  });
});

describe('the authorization code grant (token-code.ts: RFC 6749 4.1.3, RFC 7636 4.5, RFC 9449 10)', () => {
  const CLIENT = 'wallet-client-1';
  const REDIRECT = 'https://wallet.example/cb';

  type Code = { code: string; verifier: string; authorizationId: string; offerId: string };

  /** An enrollment with the authorization_code grant, a request by its issuer_state, approved; the code from the redirect. */
  async function newCode(extra: Record<string, string> = {}): Promise<Code> {
    const o = await createEnrollmentOffer(ctx, enrollmentBody(sampleIdentityClaims(), { grant: 'authorization_code' }) as EnrollmentInput);
    const offer = JSON.parse(new URL(o.offer).searchParams.get('credential_offer')!) as { grants: { authorization_code: { issuer_state: string } } };
    const pkce = createPkcePair();
    const page = await startAuthorization(ctx, {
      response_type: 'code',
      client_id: CLIENT,
      redirect_uri: REDIRECT,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      issuer_state: offer.grants.authorization_code.issuer_state,
      ...extra,
    });
    await approveAuthorization(ctx, page.id, {});
    const back = await continueAuthorization(ctx, page.id, `${sessionCookieName(page.id)}=${page.kind === 'wait' ? page.session : ''}`);
    expect(back.kind).toBe('redirect');
    const code = new URL((back as { location: string }).location).searchParams.get('code')!;
    expect(code).toBeTruthy();
    return { code, verifier: pkce.verifier, authorizationId: page.id, offerId: o.offerId };
  }

  const form = (c: Code, extra: Record<string, unknown> = {}) => ({
    grant_type: 'authorization_code',
    code: c.code,
    code_verifier: c.verifier,
    redirect_uri: REDIRECT,
    ...extra,
  });
  const exchangeCode = (b: Record<string, unknown>, options: { dpopJkt?: string; clientId?: string | null } = {}) =>
    exchangeAuthorizationCode(ctx, b, { dpopJkt: options.dpopJkt, client: { clientId: options.clientId === null ? undefined : (options.clientId ?? CLIENT) } });

  async function authorizationStatus(id: string): Promise<string> {
    const [row] = (await ctx.dataSource.query('SELECT "status" FROM "oid4vci_authorization" WHERE "id" = ?', [id])) as { status: string }[];
    return row!.status;
  }

  it('code is required, at most 512 characters', async () => {
    const c = { code: '', verifier: 'v'.repeat(43), authorizationId: '', offerId: '' };
    await refused(exchangeCode(form(c, { code: undefined })), 'invalid_request', 'code is missing');
    await refused(exchangeCode(form(c)), 'invalid_request', 'code is missing');
    await refused(exchangeCode(form(c, { code: ['a', 'b'] })), 'invalid_request', 'code must be sent once, as a string');
    await refused(exchangeCode(form(c, { code: 'c'.repeat(513) })), 'invalid_request', 'code is too long');
    await refused(exchangeCode(form(c, { code: 'c'.repeat(512) })), 'invalid_grant', 'the authorization code is unknown or has expired');
  });

  it('PKCE (RFC 7636 4.5): code_verifier is required, at most 256 characters', async () => {
    const c = { code: 'unknown-code', verifier: '', authorizationId: '', offerId: '' };
    await refused(exchangeCode(form(c, { code_verifier: undefined })), 'invalid_request', 'PKCE is required: code_verifier is missing');
    await refused(exchangeCode(form(c, { code_verifier: 'v'.repeat(257) })), 'invalid_request', 'code_verifier is too long');
    await refused(exchangeCode(form(c, { code_verifier: 'v'.repeat(256) })), 'invalid_grant', 'the authorization code is unknown or has expired');
  });

  it('redirect_uri, when sent, must be a valid one; a client_id is required', async () => {
    const c = { code: 'unknown-code', verifier: 'v'.repeat(43), authorizationId: '', offerId: '' };
    await refused(exchangeCode(form(c, { redirect_uri: 'not a uri' })), 'invalid_request', 'redirect_uri is not an absolute URI');
    await refused(exchangeCode(form(c, { redirect_uri: 'https://wallet.example/cb#f' })), 'invalid_request', 'redirect_uri must not have a fragment');
    await refused(exchangeCode(form(c), { clientId: null }), 'invalid_request', 'client_id is required');
  });

  it('a code and verifier of this client and redirect_uri: a Bearer token for 300 s, tied to the authorization; the code and the enrollment are redeemed', async () => {
    const c = await newCode();
    const t = await exchangeCode(form(c));
    expect(t).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 300 });
    const [row] = (await ctx.dataSource.query('SELECT * FROM "oid4vci_access_token" WHERE "token_hash" = ?', [secretHash(t.access_token)])) as Record<
      string,
      unknown
    >[];
    expect(row).toMatchObject({ offer_id: c.offerId, authorization_id: c.authorizationId, dpop_jkt: null, revoked_at: null });
    expect(Number(row!.expires_at) - Number(row!.created_at)).toBe(300);
    expect(await authorizationStatus(c.authorizationId)).toBe('redeemed');
    expect((await offerRow(c.offerId)).state).toBe('redeemed');
  });

  it('a code refused for the client, the redirect_uri or the verifier is not spent', async () => {
    const c = await newCode();
    await refused(exchangeCode(form(c), { clientId: 'another-client' }), 'invalid_grant', 'the authorization code was issued to another client');
    await refused(
      exchangeCode(form(c, { redirect_uri: 'https://wallet.example/other' })),
      'invalid_grant',
      'redirect_uri is not the one of the authorization request',
    );
    await refused(exchangeCode(form(c, { redirect_uri: undefined })), 'invalid_grant', 'redirect_uri is not the one of the authorization request');
    await refused(
      exchangeCode(form(c, { code_verifier: createPkcePair().verifier })),
      'invalid_grant',
      'the code_verifier does not match the code_challenge (PKCE)',
    );
    expect(await authorizationStatus(c.authorizationId)).toBe('code_issued');
    expect((await exchangeCode(form(c))).token_type).toBe('Bearer');
  });

  it('a code bound to a DPoP key (dpop_jkt) needs a proof by that key: then token_type DPoP', async () => {
    const c = await newCode({ dpop_jkt: JKT });
    const msg = 'the authorization code is bound to a DPoP key: send a DPoP proof by that key';
    await refused(exchangeCode(form(c)), 'invalid_dpop_proof', msg);
    await refused(exchangeCode(form(c), { dpopJkt: `${JKT.slice(0, -1)}A` }), 'invalid_dpop_proof', msg);
    const t = await exchangeCode(form(c), { dpopJkt: JKT });
    expect(t.token_type).toBe('DPoP');
    const [row] = (await ctx.dataSource.query('SELECT "dpop_jkt" FROM "oid4vci_access_token" WHERE "token_hash" = ?', [secretHash(t.access_token)])) as {
      dpop_jkt: string;
    }[];
    expect(row!.dpop_jkt).toBe(JKT);
  });

  it('an unbound code exchanged with a DPoP proof gives a DPoP token bound to that key', async () => {
    const c = await newCode();
    expect((await exchangeCode(form(c), { dpopJkt: JKT })).token_type).toBe('DPoP');
  });

  it('a code used a second time is refused and the token issued from it revoked (RFC 6749 4.1.2)', async () => {
    const c = await newCode();
    const t = await exchangeCode(form(c));
    await refused(exchangeCode(form(c)), 'invalid_grant', 'the authorization code was already used; the token issued from it is revoked');
    const [row] = (await ctx.dataSource.query('SELECT "revoked_at" FROM "oid4vci_access_token" WHERE "token_hash" = ?', [secretHash(t.access_token)])) as {
      revoked_at: number | null;
    }[];
    expect(row!.revoked_at).not.toBeNull();
    // Nothing left to revoke the next time.
    await refused(
      exchangeCode(form(c), { clientId: 'another-client' }),
      'invalid_grant',
      'the authorization code was already used; the tokens issued from it are revoked',
    );
  });

  it('an expired code (codeTtl reached) is refused', async () => {
    const c = await newCode();
    await ctx.dataSource.query('UPDATE "oid4vci_authorization" SET "code_expires_at" = ? WHERE "id" = ?', [nowSeconds(), c.authorizationId]);
    await refused(exchangeCode(form(c)), 'invalid_grant', 'the authorization code has expired');
    // Expiry is judged before the client, redirect_uri and verifier are compared.
    await refused(exchangeCode(form(c), { clientId: 'another-client' }), 'invalid_grant', 'the authorization code has expired');
    await refused(exchangeCode(form(c, { code_verifier: createPkcePair().verifier })), 'invalid_grant', 'the authorization code has expired');
    const d = await newCode();
    await ctx.dataSource.query('UPDATE "oid4vci_authorization" SET "code_expires_at" = ? WHERE "id" = ?', [nowSeconds() + 60, d.authorizationId]);
    expect((await exchangeCode(form(d))).token_type).toBe('Bearer');
  });

  it('a code of an authorization no longer code_issued (expired by the sweep) is refused, whatever else is sent', async () => {
    const c = await newCode();
    await ctx.dataSource.query('UPDATE "oid4vci_authorization" SET "status" = \'expired\' WHERE "id" = ?', [c.authorizationId]);
    await refused(exchangeCode(form(c), { clientId: 'another-client' }), 'invalid_grant', 'the authorization code has expired');
    await refused(exchangeCode(form(c)), 'invalid_grant', 'the authorization code has expired');
  });

  it('a code whose enrollment expired meanwhile is refused, and stays spent', async () => {
    const c = await newCode();
    await ctx.dataSource.query('UPDATE "oid4vci_offer" SET "expires_at" = ? WHERE "id" = ?', [nowSeconds(), c.offerId]);
    await refused(exchangeCode(form(c)), 'invalid_grant', 'the enrollment of this authorization has expired');
    expect(await authorizationStatus(c.authorizationId)).toBe('redeemed');
  });
});
