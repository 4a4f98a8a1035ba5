import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { b64uEncode, decodeSdJwt, isNetcredError, issueSdJwt, keyObjectSigner, MAX_DECODE_INPUT, signCompact } from '../../core/index.js';
import { vectorsDir } from '../helpers/tmp.js';

const simple = path.join(vectorsDir, 'oauth-selective-disclosure-jwt/examples/simple');
const read = (f: string) => readFileSync(path.join(simple, f), 'utf8').replace(/\s+/g, '');
const signer = keyObjectSigner(generateKeyPairSync('ed25519').privateKey, 'did:example:issuer#k1');

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(isNetcredError(err)).toBe(true);
    return (err as { code: string }).code;
  }
  return undefined;
}

describe('decodeSdJwt', () => {
  it('shows the KB-JWT of a presentation and every disclosure with its digest (RFC 9901 example)', () => {
    const decoded = decodeSdJwt(read('sd_jwt_presentation.txt'));
    expect(decoded.kind).toBe('sd-jwt');
    expect(decoded.kbJwt?.header.typ).toBe('kb+jwt');
    expect(decoded.kbJwt?.payload).toEqual(JSON.parse(readFileSync(path.join(simple, 'kb_jwt_payload.json'), 'utf8')));
    const md = readFileSync(path.join(simple, 'disclosures.md'), 'utf8');
    for (const d of decoded.disclosures) expect(md).toContain(d.digest);
  });

  it('unwraps data: URLs and EnvelopedVerifiableCredential JSON, and decodes a plain vc+jwt', async () => {
    const jwt = await signCompact({ typ: 'vc+jwt', cty: 'vc' }, { issuer: 'did:example:issuer', credentialSubject: { id: 'did:example:h' } }, signer);
    const env = JSON.stringify({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: 'EnvelopedVerifiableCredential',
      id: `data:application/vc+jwt,${jwt}`,
    });
    const decoded = decodeSdJwt(env);
    expect(decoded).toMatchObject({ kind: 'jwt', mediaType: 'application/vc+jwt', header: { typ: 'vc+jwt' }, disclosures: [] });
    const sd = await issueSdJwt({ header: { typ: 'vc+sd-jwt' }, payload: { a: 1, b: 2 }, disclosureFrame: { _sd: ['a'] }, signer });
    expect(decodeSdJwt(`data:application/vc+sd-jwt,${sd}`).claims).toEqual({ a: 1, b: 2 });
  });

  it('reports RFC 9901 violations instead of hiding them', async () => {
    const sd = await issueSdJwt({ header: { typ: 'dc+sd-jwt' }, payload: { a: 1, b: 2 }, disclosureFrame: { _sd: ['a', 'b'] }, signer });
    const stray = b64uEncode(JSON.stringify(['c2FsdHNhbHRzYWx0c2FsdA', 'c', 3]));
    const first = sd.split('~')[1]!;
    const decoded = decodeSdJwt(`${sd}${stray}~${first}~`);
    expect(decoded.problems.map((p) => p.code).sort()).toEqual(['DISCLOSURE_DUPLICATE_DIGEST', 'DISCLOSURE_UNREFERENCED']);
    expect(decoded.disclosures.find((d) => d.name === 'c')?.referenced).toBe(false);
  });

  it('refuses reserved claims in a disclosure frame at issuance', async () => {
    await expect(issueSdJwt({ header: { typ: 'dc+sd-jwt' }, payload: { iss: 'x', a: 1 }, disclosureFrame: { _sd: ['iss'] }, signer })).rejects.toMatchObject({
      code: 'SD_RESERVED_CLAIM',
    });
  });

  it('throws typed errors for malformed and oversized input', () => {
    expect(code(() => decodeSdJwt('not-an-sd-jwt'))).toBe('JWS_MALFORMED');
    expect(code(() => decodeSdJwt('a.b.c~%%%~'))).toBe('DISCLOSURE_MALFORMED');
    expect(code(() => decodeSdJwt('{"id": 3}'))).toBe('INVALID_INPUT');
    expect(code(() => decodeSdJwt('x'.repeat(MAX_DECODE_INPUT + 1)))).toBe('INPUT_TOO_LARGE');
  });
});
