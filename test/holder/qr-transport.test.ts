import { createHash, createPublicKey, generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  base45Decode,
  base45Encode,
  decodeQrTransport,
  encodeQrTransport,
  isQrTransport,
  keyObjectSigner,
  NetcredError,
  publicJwkOf,
  VerificationError,
  VERIFY_CODES,
  verifySdJwt,
} from '../../core/index.js';
// Internals on purpose: hand-made QR payloads are written with the codec's own dictionary and varint writer.
import { QR_DICTIONARY_V1 } from '../../core/qr/dictionary.js';
import { ByteWriter } from '../../core/qr/varint.js';
import { appendKbJwt, createKioskQr, importCredential } from '../../holder/index.js';
import { disclosedNames } from './helpers/assert.js';
import { createPeerIssuer, identityClaims, issueIdentity } from './helpers/issue.js';
import { newTestWallet, type TestWallet } from './helpers/wallet.js';

function expectMalformed(text: string, options?: { maxBytes?: number }): void {
  let err: unknown;
  try {
    decodeQrTransport(text, options);
  } catch (e) {
    err = e;
  }
  expect((err as { code?: string } | undefined)?.code, `decoding ${text.slice(0, 40)}`).toBe('QR_MALFORMED');
}

/** An NC1 payload from a hand-made structure (and tail), to exercise the decoder's checks. */
function handMade(write: (w: ByteWriter) => void, tail: Buffer = Buffer.alloc(0)): string {
  const w = new ByteWriter();
  write(w);
  const structure = deflateRawSync(w.toBuffer(), { dictionary: QR_DICTIONARY_V1 });
  const outer = new ByteWriter();
  outer.varint(structure.length);
  outer.bytes(structure);
  outer.bytes(tail);
  return `NC1:${base45Encode(outer.toBuffer())}`;
}

describe('base45 (RFC 9285)', () => {
  it('matches the RFC examples and rejects what is not base45', () => {
    expect(base45Encode(Buffer.from('AB'))).toBe('BB8');
    expect(base45Encode(Buffer.from('Hello!!'))).toBe('%69 VD92EX0');
    expect(base45Encode(Buffer.from('base-45'))).toBe('UJCLQE7W581');
    expect(base45Decode('QED8WEX0')?.toString()).toBe('ietf!');
    expect(base45Decode('GGW')).toBeUndefined(); // 65536 + ... > 0xffff
    expect(base45Decode('ab')).toBeUndefined();
    expect(base45Decode('AAAA')).toBeUndefined();
  });
});

describe('QR transport NC1', () => {
  let t: TestWallet;
  const presentations: string[] = [];

  beforeAll(async () => {
    t = await newTestWallet();
    // 1,000 presentations: 4 issuers (P-256, Ed25519), 0-6 decoys, random claim values,
    // random subsets of disclosures, random aud/nonce, holder keys of both types.
    const holders = [generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey, generateKeyPairSync('ed25519').privateKey];
    const issuers = [createPeerIssuer('ES256'), createPeerIssuer('EdDSA'), createPeerIssuer('ES256'), createPeerIssuer('EdDSA')];
    const creds: { sdJwt: string; holder: number }[] = [];
    for (let i = 0; i < 20; i++) {
      const holder = i % 2;
      const claims = identityClaims({
        given_name: randomBytes(randomInt(1, 12)).toString('hex'),
        family_name: `名${randomInt(1000)}`,
        birthdate: `19${randomInt(10, 99)}-0${randomInt(1, 9)}-1${randomInt(0, 9)}`,
      });
      creds.push({ sdJwt: await issueIdentity(issuers[i % 4]!, publicJwkOf(holders[holder]!), { claims, decoys: i % 7 }), holder });
    }
    for (let i = 0; i < 1000; i++) {
      const { sdJwt, holder } = creds[i % creds.length]!;
      const parts = sdJwt.split('~');
      const kept = parts.slice(1, -1).filter(() => Math.random() < 0.4);
      const body = `${[parts[0], ...kept].join('~')}~`;
      const aud = i % 3 === 0 ? 'netcred:kiosk' : `https://rp${randomInt(1000)}.example/cb?x=${randomBytes(3).toString('hex')}`;
      const nonce = randomBytes(randomInt(8, 33)).toString(i % 2 ? 'base64url' : 'hex');
      presentations.push(i % 10 === 9 ? body : await appendKbJwt(body, 'sha-256', { aud, nonce, iat: 1_800_000_000 + i }, keyObjectSigner(holders[holder]!)));
    }
  });
  afterAll(async () => t.cleanup());

  it('decodes 1,000 random presentations to the identical string', () => {
    let total = 0;
    for (const p of presentations) {
      const qr = encodeQrTransport(p);
      expect(isQrTransport(qr)).toBe(true);
      expect(qr).toMatch(/^NC1:[0-9A-Z $%*+\-./:]+$/);
      expect(decodeQrTransport(qr)).toBe(p);
      total += qr.length / p.length;
    }
    expect(total / presentations.length).toBeLessThan(0.8); // it is also compact
  });

  it('is lossless for arbitrary strings, including non-base64url parts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.constantFrom('~', '.', '~~', '{"a":1}', 'eyJhIjoxfQ', '_-')), { minLength: 1, maxLength: 12 }),
        (pieces) => {
          const s = pieces.join('');
          fc.pre(s.length > 0);
          expect(decodeQrTransport(encodeQrTransport(s))).toBe(s);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects malformed payloads with QR_MALFORMED', () => {
    const good = encodeQrTransport(presentations[0]!);
    expectMalformed('');
    expectMalformed(good.slice(4)); // no prefix
    expectMalformed(`NC2:${good.slice(4)}`);
    expectMalformed(good.toLowerCase());
    expectMalformed(`${good.slice(0, -1)}#`); // outside the alphabet
    expectMalformed(`${good}A`); // dangling character (length mod 3 = 1) or trailing data
    expectMalformed(good.slice(0, -3)); // truncated tail
    expectMalformed(good.slice(0, 40)); // truncated DEFLATE stream
    expectMalformed('NC1:GGW'); // base45 group above 0xffff
    // A decompression bomb: 1 MiB of zeros inflates past the limit.
    const bomb = deflateRawSync(Buffer.alloc(1024 * 1024), { dictionary: QR_DICTIONARY_V1 });
    const w = new ByteWriter();
    w.varint(bomb.length);
    w.bytes(bomb);
    expectMalformed(`NC1:${base45Encode(w.toBuffer())}`);
    expectMalformed(good, { maxBytes: 100 });
    // Hand-made structures: dangling, self and cyclic references, trailing bytes, unused tail.
    const refPart = (w: ByteWriter, ref: number) => {
      w.varint(1 * 4 + 2); // one piece
      w.varint(ref * 4 + 1);
    };
    expectMalformed(handMade((w) => (w.varint(1), w.varint(1), refPart(w, 5))));
    expectMalformed(handMade((w) => (w.varint(2), w.varint(1), refPart(w, 1), w.varint(1), w.varint(0 * 4 + 1))));
    expectMalformed(handMade((w) => (w.varint(2), w.varint(1), refPart(w, 2), w.varint(1), refPart(w, 1))));
    expectMalformed(handMade((w) => (w.varint(2), w.varint(1), refPart(w, 0), w.varint(1), w.varint(1))));
    expectMalformed(handMade((w) => (w.varint(1), w.varint(1), w.varint(0 * 4 + 1), w.varint(7))));
    expectMalformed(handMade((w) => (w.varint(1), w.varint(1), w.varint(2 * 4 + 0)), Buffer.from([1, 2, 3])));
    expectMalformed(handMade((w) => (w.varint(1), w.varint(1), w.varint(4 * 4 + 0)), Buffer.from([1, 2])));
    expectMalformed(handMade((w) => (w.varint(1), w.varint(1), w.varint(3))));
    // The same hand-made route does produce valid payloads (the checks above are not vacuous).
    expect(decodeQrTransport(handMade((w) => (w.varint(2), w.varint(1), w.varint(1 * 4 + 1), w.bytes(Buffer.from('x')), w.varint(1), refPart(w, 1))))).toBe(
      `x~${Buffer.from(createHashB64('x'), 'ascii').toString('base64url')}`, // a JSON part's bytes hold the digest text
    );
  });

  // Without key binding the issuer signature and the digests alone protect the presentation.
  it.each([
    ['with', true],
    ['without', false],
  ] as const)(
    'a corrupted QR of a presentation %s key binding is refused as QR_MALFORMED, or decodes to a text the verifier refuses with its verdict code',
    async (_, keyBound) => {
      const issuer = createPeerIssuer('EdDSA');
      const holder = generateKeyPairSync('ed25519').privateKey;
      const sdJwt = await issueIdentity(issuer, publicJwkOf(holder), { decoys: 2 });
      const original = keyBound
        ? await appendKbJwt(sdJwt, 'sha-256', { aud: 'netcred:kiosk', nonce: 'n-0123456789abcdef', iat: 1_800_000_000 }, keyObjectSigner(holder))
        : sdJwt;
      const options = { issuerKey: createPublicKey(issuer.privateKey), now: 1_800_000_001_000, keyBinding: { required: keyBound } };
      expect(verifySdJwt(original, options).kbJwt !== undefined).toBe(keyBound); // the uncorrupted presentation verifies
      const good = encodeQrTransport(original);
      const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
      // Every position once (another character), then 500 random positions and characters.
      const corruptions = Array.from({ length: good.length - 4 }, (_, i) => [i + 4, (alphabet.indexOf(good[i + 4]!) + 1 + randomInt(44)) % 45] as const);
      for (let i = 0; i < 500; i++) corruptions.push([randomInt(4, good.length), randomInt(alphabet.length)] as const);
      let refusedByVerifier = 0;
      for (const [at, char] of corruptions) {
        const chars = [...good];
        chars[at] = alphabet[char]!;
        const mutated = chars.join('');
        let text: string;
        try {
          text = decodeQrTransport(mutated);
        } catch (e) {
          expect((e as { code?: string }).code).toBe('QR_MALFORMED');
          continue;
        }
        if (text === original) continue; // unchanged (the same character, or bits the decoder ignores): nothing to refuse
        let err: unknown;
        try {
          verifySdJwt(text, options);
        } catch (e) {
          err = e;
        }
        expect(err, `corruption at ${at} decoded to a presentation that verifies`).toBeInstanceOf(VerificationError);
        const { code, cause } = err as VerificationError;
        expect(VERIFY_CODES).toContain(code);
        // Refused by a rule, not by a crash laundered into MALFORMED.
        if (cause !== undefined) expect(cause).toBeInstanceOf(NetcredError);
        refusedByVerifier++;
      }
      // The transport has no checksum (the QR's error correction is the checksum): many corruptions decode.
      expect(refusedByVerifier).toBeGreaterThan(100);
    },
  );

  it('a lite presentation of the identity credential fits QR version 25 at error correction M (worst case: 4 decoys)', async () => {
    await importCredential(
      t.wallet,
      await issueIdentity(createPeerIssuer(), t.key.publicJwk, {
        decoys: 4,
        status: { idx: 123456, uri: 'https://issuer.example.org/status/lists/5b1e0c9e-2f5c-4a57-9d0e-6c1d2a3b4c5d' },
      }),
    );
    const r = await createKioskQr(t.wallet);
    expect(r.aud).toBe('netcred:kiosk');
    expect(r.nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(disclosedNames(r.presentation).sort()).toEqual(['age_over_18', 'family_name', 'given_name']);
    // Measured with qrcode's own create(), independently of core/qr/image.ts.
    const version = QRCode.create(r.qrPayload, { errorCorrectionLevel: 'M' }).version;
    expect(version).toBeLessThanOrEqual(25);
    expect(r.qr.version).toBe(version);
    expect(decodeQrTransport(r.qrPayload)).toBe(r.presentation);
    const other = await createKioskQr(t.wallet);
    expect(other.nonce).not.toBe(r.nonce);
  });
});

function createHashB64(s: string): string {
  return createHash('sha256').update(s).digest('base64url');
}

// One test per rule of core/qr/transport.ts's decoder and encoder, each failure pinned to its code and
// reason (issue 18: mutation testing). Outside 'QR transport NC1' so they run without its 1,000 presentations.
describe('QR transport rules', () => {
  const why = (text: unknown, options?: { maxBytes?: number }): string => {
    try {
      decodeQrTransport(text as string, options);
    } catch (e) {
      expect(e).toBeInstanceOf(NetcredError);
      expect((e as NetcredError).code).toBe('QR_MALFORMED');
      return (e as NetcredError).message.replace('QR payload is malformed: ', '');
    }
    return 'DECODED';
  };
  const text = (w: ByteWriter, s: string) => {
    w.varint(Buffer.byteLength(s) * 4 + 1);
    w.bytes(Buffer.from(s));
  };
  /** One JSON part of `n` pieces; `write` adds them. */
  const pieces = (w: ByteWriter, n: number, write: () => void) => {
    w.varint(n * 4 + 2);
    write();
  };
  const ref = (w: ByteWriter, k: number) => w.varint(k * 4 + 1);

  it('recognizes the NC1: prefix, after leading white space only', () => {
    expect(isQrTransport('NC1:AB')).toBe(true);
    expect(isQrTransport(' \nNC1:AB')).toBe(true);
    for (const t of ['nc1:AB', 'x NC1:AB', 'NC2:AB', '', 5, undefined]) expect(isQrTransport(t)).toBe(false);
  });

  it('the text: a string with the prefix, at most 16 KiB, base45 of something; white space around it is ignored', () => {
    const good = encodeQrTransport('a~b');
    expect(decodeQrTransport(` \n${good}\n `)).toBe('a~b');
    expect(why(5)).toBe('not a string');
    expect(why(good.slice(4))).toBe('missing the NC1: prefix');
    expect(why(`NC1:${'0'.repeat(16 * 1024 - 3)}`)).toBe('too long');
    expect(why(`NC1:${'0'.repeat(16 * 1024 - 4)}`)).not.toBe('too long');
    for (const t of ['NC1:', 'NC1:ab', 'NC1:A']) expect(why(t)).toBe('not base45');
    expect(why(`NC1:${base45Encode(Buffer.from([3, 1, 2, 3]))}`)).toBe('not DEFLATE data, truncated, or larger than the limit');
  });

  it('counts of segments, parts and pieces are at least 1 and bounded by the structure', () => {
    expect(why(handMade((w) => w.varint(0)))).toBe('bad segment count');
    expect(why(handMade((w) => (w.varint(50), w.varint(1), text(w, 'a'))))).toBe('bad segment count');
    expect(why(handMade((w) => (w.varint(1), w.varint(0))))).toBe('bad part count');
    expect(why(handMade((w) => (w.varint(1), w.varint(50), text(w, 'a'))))).toBe('bad part count');
    expect(why(handMade((w) => (w.varint(1), w.varint(1), pieces(w, 0, () => {}))))).toBe('bad piece count');
    expect(why(handMade((w) => (w.varint(1), w.varint(1), pieces(w, 50, () => ref(w, 0)))))).toBe('bad piece count');
    expect(why(handMade((w) => (w.varint(1), w.varint(1), w.varint(3))))).toBe('unknown part kind');
    expect(why(handMade((w) => (w.varint(1), w.varint(1), pieces(w, 1, () => w.varint(3)))))).toBe('unknown piece kind');
    expect(decodeQrTransport(handMade((w) => (w.varint(1), w.varint(2), text(w, 'a b'), text(w, 'c'))))).toBe('a b.c');
  });

  it('references: to an existing other segment; sd_hash (0) only from the last of two or more segments', () => {
    const digest = (s: string) => Buffer.from(createHashB64(s), 'ascii').toString('base64url');
    // Two segments: segment 1 refers to segment 2 (the last), the largest valid reference.
    expect(decodeQrTransport(handMade((w) => (w.varint(2), w.varint(1), pieces(w, 1, () => ref(w, 2)), w.varint(1), text(w, 'x'))))).toBe(`${digest('x')}~x`);
    expect(why(handMade((w) => (w.varint(2), w.varint(1), pieces(w, 1, () => ref(w, 3)), w.varint(1), text(w, 'x'))))).toBe('reference to a missing segment');
    expect(why(handMade((w) => (w.varint(1), w.varint(1), pieces(w, 1, () => ref(w, 1)))))).toBe('self reference');
    expect(why(handMade((w) => (w.varint(2), w.varint(1), text(w, 'x'), w.varint(1), pieces(w, 1, () => ref(w, 2)))))).toBe('self reference');
    expect(why(handMade((w) => (w.varint(1), w.varint(1), pieces(w, 1, () => ref(w, 0)))))).toBe('sd_hash reference outside the last segment');
    expect(why(handMade((w) => (w.varint(2), w.varint(1), pieces(w, 1, () => ref(w, 0)), w.varint(1), text(w, 'x'))))).toBe(
      'sd_hash reference outside the last segment',
    );
    expect(decodeQrTransport(handMade((w) => (w.varint(2), w.varint(1), text(w, 'x'), w.varint(1), pieces(w, 1, () => ref(w, 0)))))).toBe(`x~${digest('x~')}`);
    expect(why(handMade((w) => (w.varint(3), w.varint(1), text(w, 'x'), w.varint(1), pieces(w, 1, () => ref(w, 0)), w.varint(1), text(w, 'y'))))).toBe(
      'sd_hash reference outside the last segment',
    );
    expect(why(handMade((w) => (w.varint(2), w.varint(1), pieces(w, 1, () => ref(w, 2)), w.varint(1), pieces(w, 1, () => ref(w, 1)))))).toBe(
      'cyclic references',
    );
  });

  it('text parts: valid UTF-8 without ~ or . that is not base64url (that would be a binary part)', () => {
    for (const bad of ['abc', 'a~b', 'a.b']) expect(why(handMade((w) => (w.varint(1), w.varint(1), text(w, bad))))).toBe('invalid text part');
    const latin1 = handMade((w) => (w.varint(1), w.varint(1), w.varint(1 * 4 + 1), w.bytes(Buffer.from([0xff]))));
    expect(why(latin1)).toBe('invalid text part');
    expect(decodeQrTransport(handMade((w) => (w.varint(1), w.varint(1), text(w, 'é!'))))).toBe('é!');
  });

  it('nothing may be left over, in the structure or in the binary tail', () => {
    expect(why(handMade((w) => (w.varint(1), w.varint(1), text(w, 'a!'), w.varint(0))))).toBe('trailing bytes in the structure');
    expect(why(handMade((w) => (w.varint(1), w.varint(1), w.varint(2 * 4 + 0)), Buffer.from([1, 2, 3])))).toBe('trailing bytes after the binary parts');
    expect(decodeQrTransport(handMade((w) => (w.varint(1), w.varint(1), w.varint(3 * 4 + 0)), Buffer.from([1, 2, 3])))).toBe('AQID');
  });

  it('the rebuilt text is at most maxBytes (64 KiB by default), however small the structure', () => {
    // A binary part comes from the tail, outside the inflated structure: only the rebuilt text bounds it.
    const blob = (n: number) => handMade((w) => (w.varint(1), w.varint(1), w.varint(n * 4 + 0)), Buffer.alloc(n, 1));
    expect(decodeQrTransport(blob(75), { maxBytes: 100 })).toHaveLength(100);
    expect(why(blob(76), { maxBytes: 100 })).toBe('rebuilt text exceeds the limit');
    // Far over the limit, it stops while rebuilding (before joining the segments), with the same reason.
    expect(why(blob(160), { maxBytes: 100 })).toBe('rebuilt text exceeds the limit');
    // By default: references to another segment, 43 characters of digest each from one structure byte.
    const refs = (n: number) =>
      handMade((w) => (w.varint(2), w.varint(1), pieces(w, n, () => Array.from({ length: n }, () => ref(w, 2))), w.varint(1), text(w, 'x')));
    expect(decodeQrTransport(refs(1143))).toHaveLength(Math.ceil((43 * 1143 * 4) / 3) + 2);
    expect(why(refs(1144))).toBe('rebuilt text exceeds the limit');
    expect(why(encodeQrTransport('x!'.repeat(1000)), { maxBytes: 1999 })).toBe('not DEFLATE data, truncated, or larger than the limit');
  });

  /** The DEFLATEd structure of an NC1 text, inflated, and the binary tail after it. */
  const structureOf = (qr: string): { deflated: Buffer; structure: Buffer; tail: Buffer } => {
    const packed = base45Decode(qr.slice(4))!;
    let at = 0;
    let length = 0;
    for (let shift = 0; ; shift += 7) {
      const b = packed[at++]!;
      length += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
    }
    const deflated = packed.subarray(at, at + length);
    return { deflated, structure: inflateRawSync(deflated, { dictionary: QR_DICTIONARY_V1 }), tail: packed.subarray(at + length) };
  };
  it('packs as docs/qr-transport.md says: pieces around the random runs, references for _sd and sd_hash (the NC1 wire format)', () => {
    // A presentation built here, byte for byte deterministic. The packing (not the DEFLATE bytes,
    // which depend on zlib's compressor) is the NC1 format: a change to it needs a new prefix.
    const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
    const bytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) % 256)).toString('base64url');
    const d1 = b64([bytes(16, 1), 'given_name', 'Erika']);
    const d2 = b64([bytes(16, 2), 'age_over_18', true]);
    const payload = {
      _sd: [createHashB64(d1), createHashB64(d2)],
      iss: 'https://issuer.example',
      _sd_alg: 'sha-256',
      cnf: { jwk: { kty: 'EC', crv: 'P-256', x: bytes(32, 3), y: bytes(32, 4) } },
    };
    const body = `${b64({ alg: 'ES256', typ: 'dc+sd-jwt' })}.${b64(payload)}.${bytes(64, 5)}~${d1}~${d2}~`;
    const kb = `${b64({ alg: 'ES256', typ: 'kb+jwt' })}.${b64({ iat: 1800000000, aud: 'netcred:kiosk', nonce: bytes(16, 6), sd_hash: createHashB64(body) })}.${bytes(64, 7)}`;
    const qr = encodeQrTransport(`${body}${kb}`);
    expect(decodeQrTransport(qr)).toBe(`${body}${kb}`);
    const { structure, tail } = structureOf(qr);
    // Readable in hex: 0x09 and 0x0d are references to segments 1 and 2 (the _sd digests), 0x01 the
    // sd_hash; the salts, key coordinates, nonce and signatures (240 bytes) are in the tail.
    expect(structure.toString('hex')).toBe(
      '04030684017b22616c67223a224553323536222c22747970223a2264632b73642d6a7774227d26247b225f7364223a5b22090c222c220d8803225d2c22697373223a2268747470733a2f2f6973737565722e6578616d706c65222c225f73645f616c67223a227368612d323536222c22636e66223a7b226a776b223a7b226b7479223a224543222c22637276223a22502d323536222c2278223a2282011c222c2279223a22820110227d7d7d8002010e085b22425c222c22676976656e5f6e616d65222c224572696b61225d010e085b224254222c226167655f6f7665725f3138222c747275655d0306787b22616c67223a224553323536222c22747970223a226b622b6a7774227d16c4017b22696174223a313830303030303030302c22617564223a226e6574637265643a6b696f736b222c226e6f6e6365223a224234222c2273645f68617368223a220108227d8002',
    );
    expect(tail.length).toBe(240);
    expect(createHash('sha256').update(tail).digest('hex')).toBe('21a5b96bc69202732d47f93d72047177e7a15f79ea232c111a3d3c40568ca0c0');
  });

  it('encodes a non-empty string of at most 64 Ki characters', () => {
    for (const bad of ['', 5, undefined])
      expect(() => encodeQrTransport(bad as string)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: 'nothing to encode' }));
    expect(() => encodeQrTransport('x'.repeat(64 * 1024 + 1))).toThrow(
      expect.objectContaining({ code: 'INPUT_TOO_LARGE', message: 'input exceeds 65536 characters' }),
    );
    const long = 'x.'.repeat(3000);
    expect(decodeQrTransport(encodeQrTransport(long))).toBe(long);
  });

  it('an input whose QR text would pass what one QR code carries is INPUT_TOO_LARGE, not QR_MALFORMED', () => {
    // Random base64url text barely compresses: 20,000 characters need more than 16 Ki of QR text.
    const noise = randomBytes(15_000).toString('base64url');
    expect(() => encodeQrTransport(noise)).toThrow(
      expect.objectContaining({ code: 'INPUT_TOO_LARGE', message: expect.stringMatching(/more than the 16384 one QR code carries: disclose fewer claims$/) }),
    );
  });

  it('an input of up to 64 Ki characters is encoded when its packing fits what a decoder inflates (64 KiB), else INPUT_TOO_LARGE', () => {
    // One text part (DEFLATE makes it small); its packing adds 5 bytes of counts and length.
    const fits = '!'.repeat(64 * 1024 - 5);
    expect(decodeQrTransport(encodeQrTransport(fits))).toBe(fits);
    expect(() => encodeQrTransport('!'.repeat(64 * 1024))).toThrow(
      expect.objectContaining({
        code: 'INPUT_TOO_LARGE',
        message: expect.stringMatching(/^the packed presentation would be 65541 bytes, more than the 65536 a decoder accepts/),
      }),
    );
  });

  const b64json = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const noDisclosures = (): string => {
    const jwt = `${b64json({ alg: 'ES256', typ: 'dc+sd-jwt' })}.${b64json({ iss: 'https://issuer.example', vct: 'urn:example:id', _sd_alg: 'sha-256' })}.${randomBytes(64).toString('base64url')}`;
    const kb = `${b64json({ alg: 'ES256', typ: 'kb+jwt' })}.${b64json({ iat: 1800000000, aud: 'netcred:kiosk', nonce: randomBytes(16).toString('base64url'), sd_hash: createHashB64(`${jwt}~`) })}.${randomBytes(64).toString('base64url')}`;
    return `${jwt}~${kb}`;
  };

  it('a presentation without disclosures (<jwt>~<kb-jwt>) still packs its sd_hash as reference 0', () => {
    const presentation = noDisclosures();
    const qr = encodeQrTransport(presentation);
    expect(decodeQrTransport(qr)).toBe(presentation);
    // `"sd_hash":"` then piece 0x01: a reference (kind 1) to 0, the sd_hash of the text before the KB-JWT.
    expect(structureOf(qr).structure.toString('hex')).toContain(`${Buffer.from('"sd_hash":"').toString('hex')}01`);
  });

  it('the structure is DEFLATEd at level 9 with the NC1 dictionary: smaller than without it', () => {
    const { deflated, structure } = structureOf(encodeQrTransport(noDisclosures()));
    expect(deflated.length).toBeLessThan(deflateRawSync(structure, { level: 9 }).length);
    expect(deflated.length).toBe(deflateRawSync(structure, { level: 9, memLevel: 9, windowBits: 15, dictionary: QR_DICTIONARY_V1 }).length);
  });
});
