import { describe, expect, it } from 'vitest';
import { b64uEncode, generateSalt, parseDisclosure, parseSdJwt, sdDigest } from '../../core/index.js';

const JWT = 'eyJhbGciOiJFZERTQSJ9.e30.c2ln';

describe('SD-JWT parsing', () => {
  it('splits issuance and presentation forms and keeps the sd_hash input', () => {
    const d = b64uEncode(JSON.stringify(['salt', 'given_name', 'Mei']));
    const issued = parseSdJwt(`${JWT}~${d}~`);
    expect(issued.kbJwt).toBeUndefined();
    expect(issued.disclosures).toEqual([{ encoded: d, salt: 'salt', name: 'given_name', value: 'Mei' }]);
    const presented = parseSdJwt(`${JWT}~${d}~${JWT}`);
    expect(presented.kbJwt).toBe(JWT);
    expect(presented.sdHashInput).toBe(`${JWT}~${d}~`);
    expect(parseSdJwt(`${JWT}~`).disclosures).toEqual([]);
  });

  it('rejects malformed SD-JWTs and disclosures', () => {
    for (const [bad, code] of [
      [JWT, 'MALFORMED'], // no "~"
      [`${JWT}~~`, 'MALFORMED'], // empty disclosure
      [`${JWT}~abc`, 'MALFORMED'], // neither "~" nor a KB-JWT at the end
      [`x~`, 'MALFORMED'], // the issuer-signed part is not a compact JWS
      [`${JWT}~${b64uEncode('[1,2,3,4]')}~`, 'DISCLOSURE_MALFORMED'],
    ] as const) {
      expect(() => parseSdJwt(bad), bad).toThrow(expect.objectContaining({ code }));
    }
    expect(() => parseDisclosure(b64uEncode('["s"]'))).toThrow(expect.objectContaining({ code: 'DISCLOSURE_MALFORMED' }));
    expect(() => parseDisclosure(b64uEncode('["s", 1, 2]'))).toThrow(expect.objectContaining({ code: 'DISCLOSURE_MALFORMED' }));
    expect(() => parseDisclosure(b64uEncode('{"a":1}'))).toThrow(expect.objectContaining({ code: 'DISCLOSURE_MALFORMED' }));
    expect(parseDisclosure(b64uEncode('["s", {"x": 1}]'))).toMatchObject({ salt: 's', value: { x: 1 } });
  });

  it('hashes the encoded disclosure (RFC 9901 section 4.2.3 example digest)', () => {
    // From RFC 9901: the disclosure of family_name "Möbius" and its digest.
    expect(sdDigest('WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0')).toBe('X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0');
  });

  it('salts carry 128 bits', () => {
    const salts = new Set(Array.from({ length: 1000 }, generateSalt));
    expect(salts.size).toBe(1000);
    for (const s of salts) expect(Buffer.from(s, 'base64url').length).toBe(16);
  });
});
