import { describe, expect, it } from 'vitest';
import { readBitstringListCredential, statusListBindingProblem, type StatusListSelf } from '../../core/index.js';

/**
 * core/status/binding.ts and list-credential.ts on their own (issue 18: one test per rule). A status
 * list is evidence only for the URL it names, for its issuer and until it expires; the verifier
 * tests (test/verifier/status-binding.test.ts) show the same rules on real signed lists.
 */

const URI = 'https://issuer.test/status/1';
const ISSUER = 'did:web:issuer.test';
const token = (over: Partial<StatusListSelf> = {}): StatusListSelf => ({ kind: 'token', id: URI, ...over });
const bitstring = (over: Partial<StatusListSelf> = {}): StatusListSelf => ({ kind: 'bitstring', id: URI, issuer: ISSUER, ...over });

describe('statusListBindingProblem', () => {
  it('a list that names the expected URI, issuer and has not expired belongs to the credential', () => {
    expect(statusListBindingProblem(token({ iss: ISSUER, signer: ISSUER, exp: 2000 }), { uri: URI, issuer: ISSUER }, 1999)).toBeUndefined();
    expect(statusListBindingProblem(bitstring({ iss: ISSUER, exp: 2000 }), { uri: URI, issuer: ISSUER }, 1999)).toBeUndefined();
  });

  it('uri: the list must name the URI the credential references', () => {
    expect(statusListBindingProblem(token({ id: 'https://issuer.test/status/2' }), { uri: URI })).toEqual({
      reason: 'uri',
      message: `the status list token at ${URI} names itself https://issuer.test/status/2: it is not the list the credential references`,
    });
    expect(statusListBindingProblem(token({ id: undefined }), { uri: URI })?.message).toBe(
      `the status list token at ${URI} has no sub: it is not the list the credential references`,
    );
    expect(statusListBindingProblem(bitstring({ id: 7 }), { uri: URI })?.message).toBe(
      `the status list credential at ${URI} has no id: it is not the list the credential references`,
    );
    expect(statusListBindingProblem(token({ id: 'https://issuer.test/status/2' }), {})).toBeUndefined();
  });

  it('issuer: a list credential needs its issuer; iss and the signer, when known, must match too', () => {
    expect(statusListBindingProblem(bitstring({ issuer: 'did:web:other.test' }), { issuer: ISSUER })).toEqual({
      reason: 'issuer',
      message: `the status list credential at ${URI} is of another issuer (issuer did:web:other.test), not ${ISSUER}`,
    });
    expect(statusListBindingProblem(bitstring({ issuer: undefined }), { uri: URI, issuer: ISSUER })?.message).toBe(
      `the status list credential at ${URI} is of another issuer (issuer missing), not ${ISSUER}`,
    );
    expect(statusListBindingProblem(bitstring({ issuer: { id: ISSUER } }), { issuer: ISSUER })?.message).toContain('(issuer {"id":"did:web:issuer.test"})');
    expect(statusListBindingProblem(bitstring({ iss: 'did:web:other.test' }), { issuer: ISSUER })?.message).toContain('(iss did:web:other.test)');
    expect(statusListBindingProblem(bitstring({ signer: 'did:web:other.test' }), { issuer: ISSUER })?.message).toContain('(signer did:web:other.test)');
    expect(statusListBindingProblem(token({ iss: 'did:web:other.test' }), { issuer: ISSUER })?.reason).toBe('issuer');
    expect(statusListBindingProblem(token({ signer: 'did:web:other.test' }), { issuer: ISSUER })?.reason).toBe('issuer');
    // A token needs no iss (optional in the draft); a list credential's issuer is not read for a token.
    expect(statusListBindingProblem(token({ issuer: 'did:web:other.test' }), { issuer: ISSUER })).toBeUndefined();
    expect(statusListBindingProblem(bitstring({ issuer: 'did:web:other.test' }), {})).toBeUndefined();
  });

  it('expired: from exp on (plus the tolerance), only when now is given', () => {
    const expired = statusListBindingProblem(token({ exp: 2000 }), { uri: URI }, 2000);
    expect(expired).toEqual({ reason: 'expired', message: `the status list token at ${URI} expired at 1970-01-01T00:33:20.000Z` });
    expect(statusListBindingProblem(token({ exp: 2000 }), {}, 1999)).toBeUndefined();
    expect(statusListBindingProblem(token({ exp: 2000 }), {}, 2009, 10)).toBeUndefined();
    expect(statusListBindingProblem(token({ exp: 2000 }), {}, 2010, 10)?.reason).toBe('expired');
    expect(statusListBindingProblem(bitstring({ exp: 2000 }), {}, 3000)?.message).toBe(
      `the status list credential at ${URI} expired at 1970-01-01T00:33:20.000Z`,
    );
    expect(statusListBindingProblem(token({ exp: 2000 }), {})).toBeUndefined();
    expect(statusListBindingProblem(token(), {}, 10 ** 12)).toBeUndefined();
  });

  it('reports the URI first, then the issuer, then expiry', () => {
    const all = token({ id: 'https://x/2', iss: 'did:web:other.test', exp: 1 });
    expect(statusListBindingProblem(all, { uri: URI, issuer: ISSUER }, 5)?.reason).toBe('uri');
    expect(statusListBindingProblem(token({ iss: 'did:web:other.test', exp: 1 }), { uri: URI, issuer: ISSUER }, 5)?.reason).toBe('issuer');
  });
});

describe('readBitstringListCredential', () => {
  const subject = { type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: 'uH4sI' };
  const vcdm2 = { type: ['VerifiableCredential', 'BitstringStatusListCredential'], id: URI, issuer: ISSUER, credentialSubject: subject };
  const refused = (payload: Record<string, unknown>, message: string) => {
    let error: unknown;
    try {
      readBitstringListCredential(payload, 'the list at x');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'STATUS_LIST_INVALID', message });
  };

  it('reads a VCDM 2.0 payload: id, issuer, purposes, encodedList', () => {
    expect(readBitstringListCredential(vcdm2)).toEqual({
      self: { kind: 'bitstring', id: URI, issuer: ISSUER },
      purposes: ['revocation'],
      encodedList: 'uH4sI',
    });
  });

  it('reads the issuer from issuer.id, and iss, exp, iat, ttl from the JWT claims', () => {
    const read = readBitstringListCredential({
      ...vcdm2,
      issuer: { id: ISSUER, name: 'x' },
      iss: ISSUER,
      exp: 5000,
      iat: 1000,
      credentialSubject: { ...subject, ttl: 60000 },
    });
    expect(read).toEqual({
      self: { kind: 'bitstring', id: URI, issuer: ISSUER, iss: ISSUER, exp: 5000 },
      iat: 1000,
      purposes: ['revocation'],
      encodedList: 'uH4sI',
      ttlMs: 60000,
    });
    expect(readBitstringListCredential({ ...vcdm2, issuer: null }).self.issuer).toBeNull();
    // ttl is taken only as a number (milliseconds): a string is no ttl.
    expect(readBitstringListCredential({ ...vcdm2, credentialSubject: { ...subject, ttl: '60000' } })).not.toHaveProperty('ttlMs');
  });

  it('falls back to validUntil / validFrom, in seconds; an unparseable date is no time', () => {
    const read = readBitstringListCredential({ ...vcdm2, validFrom: '2026-01-01T00:00:00.999Z', validUntil: '2026-02-01T00:00:00Z' });
    expect(read.iat).toBe(Date.parse('2026-01-01T00:00:00Z') / 1000);
    expect(read.self.exp).toBe(Date.parse('2026-02-01T00:00:00Z') / 1000);
    const jwtWins = readBitstringListCredential({ ...vcdm2, validFrom: '2026-01-01T00:00:00Z', validUntil: '2026-02-01T00:00:00Z', iat: 7, exp: 9 });
    expect([jwtWins.iat, jwtWins.self.exp]).toEqual([7, 9]);
    const junk = readBitstringListCredential({ ...vcdm2, validFrom: 'soon', validUntil: 12, iat: '7', exp: '9' });
    expect(junk).not.toHaveProperty('iat');
    expect(junk.self).not.toHaveProperty('exp');
  });

  it('reads a VCDM 1.1 JWT: the credential under vc, id from jti and issuer from iss when absent', () => {
    const { id: _id, issuer: _issuer, ...inner } = vcdm2;
    const read = readBitstringListCredential({ vc: inner, jti: URI, iss: ISSUER, exp: 5000 });
    expect(read.self).toEqual({ kind: 'bitstring', id: URI, issuer: ISSUER, iss: ISSUER, exp: 5000 });
    const own = readBitstringListCredential({ vc: vcdm2, jti: 'urn:other', iss: 'did:web:other.test' });
    expect([own.self.id, own.self.issuer, own.self.iss]).toEqual([URI, ISSUER, 'did:web:other.test']);
    // jti and iss are not an id and issuer for a VCDM 2.0 payload.
    const flat = readBitstringListCredential({ ...inner, jti: URI, iss: ISSUER });
    expect([flat.self.id, flat.self.issuer]).toEqual([undefined, undefined]);
  });

  it('statusPurpose: a string or the strings of an array; nothing else', () => {
    expect(readBitstringListCredential({ ...vcdm2, credentialSubject: { ...subject, statusPurpose: ['revocation', 3, 'suspension'] } }).purposes).toEqual([
      'revocation',
      'suspension',
    ]);
    expect(readBitstringListCredential({ ...vcdm2, credentialSubject: { ...subject, statusPurpose: { a: 1 } } }).purposes).toEqual([]);
    expect(readBitstringListCredential({ ...vcdm2, credentialSubject: { encodedList: 'u' } }).purposes).toEqual([]);
  });

  it('refuses what is not a BitstringStatusListCredential or has no encodedList (STATUS_LIST_INVALID)', () => {
    refused({ ...vcdm2, type: ['VerifiableCredential'] }, 'the list at x is not a BitstringStatusListCredential');
    refused({ ...vcdm2, type: undefined }, 'the list at x is not a BitstringStatusListCredential');
    refused({ vc: 'BitstringStatusListCredential', type: 'BitstringStatusListCredential' }, 'the list at x has no credentialSubject.encodedList');
    expect(readBitstringListCredential({ ...vcdm2, type: 'BitstringStatusListCredential' }).encodedList).toBe('uH4sI');
    for (const credentialSubject of [undefined, null, 'x', { encodedList: 5 }, {}])
      refused({ ...vcdm2, credentialSubject }, 'the list at x has no credentialSubject.encodedList');
    let error: unknown;
    try {
      readBitstringListCredential({});
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'STATUS_LIST_INVALID', message: 'status list credential is not a BitstringStatusListCredential' });
  });
});
