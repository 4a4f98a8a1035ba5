import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, SignJWT, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
// Internals on purpose: every rule of core/oauth/client-attestation.ts, checked directly.
import {
  ATTEST_JWT_CLIENT_AUTH,
  CLIENT_ATTESTATION_ALGS,
  CLIENT_ATTESTATION_HEADER,
  CLIENT_ATTESTATION_POP_HEADER,
  CLIENT_ATTESTATION_POP_TYP,
  CLIENT_ATTESTATION_TYP,
  ClientAttestationError,
  clientAttestationHeaders,
  verifyClientAttestation,
  type ClientAttestationOptions,
} from '../../core/oauth/client-attestation.js';
import { thrown } from '../helpers/thrown.js';

type Key = { privateKey: KeyObject; jwk: JWK; alg: 'ES256' | 'EdDSA' };
const ec = (): Key => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { privateKey, jwk: publicKey.export({ format: 'jwk' }) as JWK, alg: 'ES256' };
};
const ed = (): Key => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, jwk: publicKey.export({ format: 'jwk' }) as JWK, alg: 'EdDSA' };
};

const NOW = 1_800_000_000;
const AUD = 'https://as.example';
const SUB = 'wallet-1';
const ISS = 'https://wallet-provider.example';
const provider = ec();
const instance = ed();
const options: ClientAttestationOptions = { trustedKeys: [provider.jwk], audience: AUD, now: NOW, maxAge: 60, clockTolerance: 10 };

async function jwt(key: Key, header: Record<string, unknown>, payload: Record<string, unknown>, alg: string = key.alg): Promise<string> {
  const clean = Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined));
  return new SignJWT(clean).setProtectedHeader({ alg, ...header }).sign(key.privateKey);
}

type Over = {
  att?: Record<string, unknown>;
  attHeader?: Record<string, unknown>;
  signer?: Key;
  pop?: Record<string, unknown>;
  popHeader?: Record<string, unknown>;
  popKey?: Key;
  cnf?: Key;
};
async function pair(over: Over = {}): Promise<{ attestation: string; pop: string }> {
  const cnfKey = over.cnf ?? instance;
  const attestation = await jwt(
    over.signer ?? provider,
    { typ: CLIENT_ATTESTATION_TYP, ...over.attHeader },
    { iss: ISS, sub: SUB, exp: NOW + 3600, cnf: { jwk: cnfKey.jwk }, ...over.att },
  );
  const pop = await jwt(over.popKey ?? cnfKey, { typ: CLIENT_ATTESTATION_POP_TYP, ...over.popHeader }, { aud: AUD, jti: 'pop-1', iat: NOW, ...over.pop });
  return { attestation, pop };
}

async function refused(
  p: Promise<{ attestation: string; pop: string }> | { attestation: string; pop: string },
  message: string | RegExp,
  extra: Partial<ClientAttestationOptions> = {},
) {
  const { attestation, pop } = await p;
  const err = await verifyClientAttestation(attestation, pop, { ...options, ...extra }).then(
    () => {
      throw new Error('expected a refusal, got none');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ClientAttestationError);
  expect(err).toMatchObject({ code: 'CLIENT_ATTESTATION_INVALID', message: typeof message === 'string' ? message : expect.stringMatching(message) });
}
async function accepted(p: Promise<{ attestation: string; pop: string }>, extra: Partial<ClientAttestationOptions> = {}) {
  const { attestation, pop } = await p;
  return verifyClientAttestation(attestation, pop, { ...options, ...extra });
}

describe('client attestation constants (draft-ietf-oauth-attestation-based-client-auth)', () => {
  it('header names, typs, the auth method and the algorithms', () => {
    expect(CLIENT_ATTESTATION_HEADER).toBe('OAuth-Client-Attestation');
    expect(CLIENT_ATTESTATION_POP_HEADER).toBe('OAuth-Client-Attestation-PoP');
    expect(CLIENT_ATTESTATION_TYP).toBe('oauth-client-attestation+jwt');
    expect(CLIENT_ATTESTATION_POP_TYP).toBe('oauth-client-attestation-pop+jwt');
    expect(ATTEST_JWT_CLIENT_AUTH).toBe('attest_jwt_client_auth');
    expect([...CLIENT_ATTESTATION_ALGS]).toEqual(['ES256', 'EdDSA']);
  });
});

describe('clientAttestationHeaders (draft section 6.1 (1), (2): each header exactly once)', () => {
  const bad = (fn: () => unknown, message: string) => {
    const err = thrown(fn);
    expect(err).toBeInstanceOf(ClientAttestationError);
    expect(err).toMatchObject({ code: 'CLIENT_ATTESTATION_INVALID', message });
  };

  it('neither header: undefined; both: the two values, trimmed', () => {
    expect(clientAttestationHeaders(undefined, undefined)).toBeUndefined();
    expect(clientAttestationHeaders(' a.b.c ', 'd.e.f\t')).toEqual({ attestation: 'a.b.c', pop: 'd.e.f' });
  });

  it('one without the other is refused, either way', () => {
    const msg = 'OAuth-Client-Attestation and OAuth-Client-Attestation-PoP go together';
    bad(() => clientAttestationHeaders('a.b.c', undefined), msg);
    bad(() => clientAttestationHeaders(undefined, 'a.b.c'), msg);
  });

  it('a repeated header (an array, or a comma-joined list) is refused, naming it', () => {
    bad(() => clientAttestationHeaders(['a.b.c'], 'a.b.c'), 'more than one OAuth-Client-Attestation header');
    bad(() => clientAttestationHeaders('a.b.c,a.b.c', 'a.b.c'), 'more than one OAuth-Client-Attestation header');
    bad(() => clientAttestationHeaders('a.b.c', ['a.b.c', 'a.b.c']), 'more than one OAuth-Client-Attestation-PoP header');
    bad(() => clientAttestationHeaders('a.b.c', 'a.b.c, a.b.c'), 'more than one OAuth-Client-Attestation-PoP header');
  });

  it('each must be a compact JWT: three non-empty base64url parts, nothing before or after', () => {
    for (const v of ['a.b', 'a.b.c.d', 'a..c', '.b.c', 'a.b.', 'a+b.c.d', 'a.b.c=', '!a.b.c', 'a.b.c!', 'a b.c.d', '']) {
      bad(() => clientAttestationHeaders(v, 'a.b.c'), 'the OAuth-Client-Attestation header is not a compact JWT');
      bad(() => clientAttestationHeaders('a.b.c', v), 'the OAuth-Client-Attestation-PoP header is not a compact JWT');
    }
    expect(clientAttestationHeaders('A-z_0.9.x', 'a.b.c')).toEqual({ attestation: 'A-z_0.9.x', pop: 'a.b.c' });
  });

  it('each is at most 8192 characters: 8192 accepted, 8193 refused', () => {
    const of = (n: number) => `${'a'.repeat(n - 4)}.b.c`;
    expect(of(8192)).toHaveLength(8192);
    expect(clientAttestationHeaders(of(8192), of(8192))).toEqual({ attestation: of(8192), pop: of(8192) });
    bad(() => clientAttestationHeaders(of(8193), 'a.b.c'), 'the OAuth-Client-Attestation header is not a compact JWT');
    bad(() => clientAttestationHeaders('a.b.c', of(8193)), 'the OAuth-Client-Attestation-PoP header is not a compact JWT');
  });
});

describe('verifyClientAttestation: the attestation (draft section 6.1)', () => {
  it('accepts a trusted provider and a fresh PoP: sub, iss, the cnf thumbprint, the jti and when it may be forgotten', async () => {
    const v = await accepted(pair(), { clientId: SUB });
    expect(v).toEqual({
      clientId: SUB,
      walletProvider: ISS,
      instanceJkt: await calculateJwkThumbprint(instance.jwk, 'sha256'),
      popJti: 'pop-1',
      popExpiresAt: NOW + 60 + 10,
    });
    // An ES256 instance key, an EdDSA provider key, no client_id named: as good.
    const edProvider = ed();
    expect(await accepted(pair({ signer: edProvider, cnf: ec() }), { trustedKeys: [edProvider.jwk] })).toMatchObject({ clientId: SUB });
  });

  it('an attestation whose header is not base64url JSON is CLIENT_ATTESTATION_INVALID "malformed" (jose throws a plain TypeError for it)', async () => {
    const { pop } = await pair();
    for (const attestation of ['bm9wZQ.e30.AA', 'a.b.c']) {
      await refused({ attestation, pop }, 'the client attestation is malformed: Invalid Token or Protected Header formatting');
    }
    // A header without alg names no trusted key.
    await refused({ attestation: 'e30.e30.AA', pop }, 'the client attestation is not signed by a trusted wallet provider key');
  });

  it('no trusted key of the header alg: not signed by a trusted wallet provider key', async () => {
    const msg = 'the client attestation is not signed by a trusted wallet provider key';
    await refused(pair(), msg, { trustedKeys: [] });
    // An ES256 attestation and only an Ed25519 key trusted; an EdDSA one and only a P-256 key.
    await refused(pair(), msg, { trustedKeys: [ed().jwk] });
    const edProvider = ed();
    await refused(pair({ signer: edProvider }), msg, { trustedKeys: [provider.jwk] });
    // ES256 needs P-256: a P-384 EC key is no candidate.
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ format: 'jwk' }) as JWK;
    await refused(pair(), msg, { trustedKeys: [p384] });
    // EdDSA needs Ed25519: an X25519 OKP key is no candidate.
    const x25519 = generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' }) as JWK;
    await refused(pair({ signer: edProvider }), msg, { trustedKeys: [x25519] });
  });

  it('an alg outside ES256 / EdDSA is refused, even by a trusted key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const k: Key = { privateKey, jwk: publicKey.export({ format: 'jwk' }) as JWK, alg: 'ES256' };
    const attestation = await new SignJWT({ iss: ISS, sub: SUB, exp: NOW + 3600, cnf: { jwk: instance.jwk } })
      .setProtectedHeader({ alg: 'ES384', typ: CLIENT_ATTESTATION_TYP })
      .sign(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey);
    const { pop } = await pair();
    await refused({ attestation, pop }, 'the client attestation is not signed by a trusted wallet provider key', { trustedKeys: [k.jwk] });
  });

  it('a signature by another key is refused; every candidate is tried, so the right one among several is found', async () => {
    const other = ec();
    await refused(pair({ signer: other }), 'the client attestation is not signed by a trusted wallet provider key');
    expect(await accepted(pair(), { trustedKeys: [ec().jwk, provider.jwk] })).toMatchObject({ clientId: SUB });
  });

  it('kid: a header kid picks the trusted key of that kid; keys or headers without kid still match', async () => {
    const withKid = { ...provider.jwk, kid: 'p-1' };
    expect(await accepted(pair({ attHeader: { kid: 'p-1' } }), { trustedKeys: [withKid] })).toMatchObject({ clientId: SUB });
    expect(await accepted(pair(), { trustedKeys: [withKid] })).toMatchObject({ clientId: SUB });
    expect(await accepted(pair({ attHeader: { kid: 'p-1' } }), { trustedKeys: [provider.jwk] })).toMatchObject({ clientId: SUB });
    await refused(pair({ attHeader: { kid: 'p-2' } }), 'the client attestation is not signed by a trusted wallet provider key', { trustedKeys: [withKid] });
  });

  it('typ must be oauth-client-attestation+jwt', async () => {
    for (const typ of ['JWT', CLIENT_ATTESTATION_POP_TYP]) {
      await refused(pair({ attHeader: { typ } }), /^the client attestation is refused: .*typ/);
    }
  });

  it('iss, sub, exp and cnf are required', async () => {
    for (const claim of ['iss', 'sub', 'exp', 'cnf']) {
      await refused(pair({ att: { [claim]: undefined } }), new RegExp(`^the client attestation is refused: .*"${claim}"`));
    }
  });

  it('exp: refused from exp - clockTolerance on (jose: exp <= now - tolerance), accepted one second later', async () => {
    await refused(pair({ att: { exp: NOW - 10 } }), /^the client attestation is refused: .*"exp"/);
    expect(await accepted(pair({ att: { exp: NOW - 9 } }))).toMatchObject({ clientId: SUB });
    await refused(pair({ att: { exp: NOW + 5 } }), /"exp"/, { now: NOW + 15 });
  });

  it('sub: a non-empty string of at most 256 characters', async () => {
    const msg = 'the client attestation sub must be the client_id';
    await refused(pair({ att: { sub: '' } }), msg);
    await refused(pair({ att: { sub: 's'.repeat(257) } }), msg);
    expect((await accepted(pair({ att: { sub: 's'.repeat(256) } }))).clientId).toHaveLength(256);
  });

  it('iss: a non-empty string', async () => {
    await refused(pair({ att: { iss: '' } }), 'the client attestation has no iss');
  });

  it('cnf.jwk: a public JWK object (no d, not an array, not a string, present)', async () => {
    const msg = 'the client attestation has no public cnf.jwk';
    const privateJwk = instance.privateKey.export({ format: 'jwk' });
    for (const cnf of [{}, { jwk: [instance.jwk] }, { jwk: 'key' }, { jwk: null }, { jwk: privateJwk }]) {
      await refused(pair({ att: { cnf } }), msg);
    }
  });

  it('a client_id named by the request must be the attested sub', async () => {
    await refused(pair(), `client_id someone-else is not the attested client ${SUB}`, { clientId: 'someone-else' });
    await refused(pair(), `client_id  is not the attested client ${SUB}`, { clientId: '' });
  });
});

describe('verifyClientAttestation: the PoP (draft section 6.1)', () => {
  it('its alg must fit the cnf key (an EdDSA PoP for a P-256 cnf, an ES256 PoP for an Ed25519 cnf)', async () => {
    const msg = 'the client attestation PoP alg does not fit the cnf key';
    await refused(pair({ cnf: ec(), popKey: ed() }), msg);
    await refused(pair({ cnf: ed(), popKey: ec() }), msg);
  });

  it('signed by the cnf key itself', async () => {
    await refused(pair({ popKey: ed() }), /^the client attestation PoP is refused: signature verification failed/);
  });

  it('a PoP whose header is not base64url JSON is CLIENT_ATTESTATION_INVALID "malformed" (jose throws a plain TypeError for it)', async () => {
    const { attestation } = await pair();
    for (const pop of ['bm9wZQ.e30.AA', 'a.b.c']) {
      await refused({ attestation, pop }, 'the client attestation PoP is malformed: Invalid Token or Protected Header formatting');
    }
    await refused({ attestation, pop: 'e30.e30.AA' }, 'the client attestation PoP alg does not fit the cnf key');
  });

  it('a PoP with a good header but a payload that is not JSON is refused by jose', async () => {
    const { attestation, pop } = await pair();
    const [h] = pop.split('.');
    await refused({ attestation, pop: `${h}.bm9wZQ.AA` }, /^the client attestation PoP is refused: /);
  });

  it('typ must be oauth-client-attestation-pop+jwt', async () => {
    for (const typ of ['JWT', CLIENT_ATTESTATION_TYP]) await refused(pair({ popHeader: { typ } }), /^the client attestation PoP is refused: .*typ/);
  });

  it('aud, jti and iat are required', async () => {
    for (const claim of ['aud', 'jti', 'iat']) {
      await refused(pair({ pop: { [claim]: undefined } }), new RegExp(`^the client attestation PoP is refused: .*"${claim}"`));
    }
  });

  it('aud: this server, as a string or a one-member array', async () => {
    const msg = `the client attestation PoP aud must be ${AUD}`;
    expect(await accepted(pair({ pop: { aud: [AUD] } }))).toMatchObject({ clientId: SUB });
    await refused(pair({ pop: { aud: 'https://other.example' } }), msg);
    await refused(pair({ pop: { aud: [AUD, 'https://other.example'] } }), msg);
    await refused(pair({ pop: { aud: ['https://other.example'] } }), msg);
    await refused(pair({ pop: { aud: [] } }), msg);
  });

  it('iat at most maxAge + clockTolerance old: exactly that accepted, one second more refused', async () => {
    expect(await accepted(pair({ pop: { iat: NOW - 70 } }))).toMatchObject({ popExpiresAt: NOW });
    await refused(pair({ pop: { iat: NOW - 71 } }), 'the client attestation PoP is too old (more than 60 s)');
  });

  it('iat not ahead of now + clockTolerance', async () => {
    expect(await accepted(pair({ pop: { iat: NOW + 10 } }))).toMatchObject({ popExpiresAt: NOW + 80 });
    await refused(pair({ pop: { iat: NOW + 11 } }), /^the client attestation PoP (is refused: .*"iat"|was issued in the future)/);
  });

  it('a PoP exp that has passed is refused', async () => {
    await refused(pair({ pop: { exp: NOW - 10 } }), /^the client attestation PoP is refused: .*"exp"/);
    expect(await accepted(pair({ pop: { exp: NOW - 9 } }))).toMatchObject({ clientId: SUB });
  });

  it('a PoP iss, when there, must be the attested client', async () => {
    expect(await accepted(pair({ pop: { iss: SUB } }))).toMatchObject({ clientId: SUB });
    await refused(pair({ pop: { iss: 'someone-else' } }), 'the client attestation PoP iss is not the attested client');
  });

  it('jti: a non-empty string of at most 256 characters', async () => {
    const msg = 'the client attestation PoP has no jti';
    await refused(pair({ pop: { jti: '' } }), msg);
    await refused(pair({ pop: { jti: 42 } }), msg);
    await refused(pair({ pop: { jti: 'j'.repeat(257) } }), msg);
    expect((await accepted(pair({ pop: { jti: 'j'.repeat(256) } }))).popJti).toHaveLength(256);
  });
});
