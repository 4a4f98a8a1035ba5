import { createHash, generateKeyPairSync, verify as nodeVerify } from 'node:crypto';
import { verifySDJWT } from '@meeco/sd-jwt';
import { pack } from '@sd-jwt/core';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { describe, expect, it } from 'vitest';
import { generateSalt, issueSdJwt, keyObjectSigner, publicJwkOf, sdDigest, sdJwtHasher } from '../../core/index.js';
// Internals on purpose: this file tests the issuer's SD-JWT packing against @sd-jwt/core's.
import { packSdJwt, pooledSalt, type SdFrame } from '../../core/sd-jwt/pack.js';
import { identityDisclosureFrame, mintIdentitySdJwtVc } from '../../issuer/issuance/mint.js';
import { RESIDENT_IDENTITY_VCT, sampleIdentityClaims, validateIdentityClaims } from '../../schemas/index.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signer = keyObjectSigner(privateKey, 'did:example:issuer#k1');

const base = { iss: 'did:example:issuer', vct: 'https://example.test/vct', iat: 1_700_000_000, exp: 2_000_000_000 };

/** Payloads and frames covering every frame feature: nesting, arrays (elements disclosed, recursed into), decoys. */
const cases: Array<{ name: string; payload: Record<string, unknown>; frame: SdFrame }> = [
  {
    name: 'flat claims with decoys',
    payload: { ...base, given_name: 'Ana', family_name: 'Ré', age: 42, adult: true, note: null },
    frame: { _sd: ['given_name', 'family_name', 'age', 'adult', 'note'], _sd_decoy: 3 },
  },
  {
    name: 'nested object disclosed as a whole and member by member',
    payload: { ...base, sub: 'did:example:holder', address: { street_address: 'Rua 1', locality: 'Lisboa', country: 'PT' } },
    frame: { _sd: ['sub', 'address'], _sd_decoy: 2, address: { _sd: ['street_address', 'locality'], _sd_decoy: 1 } },
  },
  {
    name: 'array elements disclosed, with decoys and a frame inside an element',
    payload: {
      ...base,
      nationalities: ['PT', 'DE', 'FR'],
      pets: [
        { name: 'Rex', kind: 'dog' },
        { name: 'Tom', kind: 'cat' },
      ],
    },
    frame: { _sd: ['nationalities'], nationalities: { _sd: [0, 2], _sd_decoy: 1 }, pets: { _sd: [1], 0: { _sd: ['name'] } } },
  },
  {
    name: 'W3C-style subject array by index',
    payload: {
      ...base,
      credentialSubject: [
        { id: 'did:example:a', x: 1 },
        { id: 'did:example:b', y: { z: 2 } },
      ],
    },
    frame: { credentialSubject: { 0: { _sd: ['id', 'x'], _sd_decoy: 1 }, 1: { _sd: ['y'], y: { _sd: ['z'] } } } },
  },
];

/**
 * The packed structure with every digest masked: `_sd` arrays become their length and
 * `{"...": d}` becomes "...", with each disclosure's value (masked too) keyed by its path.
 */
function shape(payload: unknown, disclosures: string[]): { clear: unknown; disclosed: Record<string, unknown> } {
  const byDigest = new Map(disclosures.map((d) => [sdDigest(d), JSON.parse(Buffer.from(d, 'base64url').toString('utf8')) as unknown[]]));
  const disclosed: Record<string, unknown> = {};
  const mask = (v: unknown, path: string): unknown => {
    if (Array.isArray(v)) {
      return v.map((el, i) => {
        if (el && typeof el === 'object' && !Array.isArray(el) && '...' in el) {
          const d = byDigest.get((el as Record<string, string>)['...']!);
          if (d) disclosed[`${path}[${i}]`] = mask(d[1], `${path}[${i}]`);
          return '...';
        }
        return mask(el, `${path}[${i}]`);
      });
    }
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (k !== '_sd') {
          out[k] = mask(x, `${path}.${k}`);
          continue;
        }
        out._sd = (x as string[]).length;
        for (const digest of x as string[]) {
          const d = byDigest.get(digest);
          if (d) disclosed[`${path}.${String(d[1])}`] = mask(d[2], `${path}.${String(d[1])}`);
        }
      }
      return out;
    }
    return v;
  };
  return { clear: mask(payload, '$'), disclosed };
}

async function verifyWithPeers(sdJwt: string): Promise<{ sdjwtvc: Record<string, unknown>; meeco: Record<string, unknown> }> {
  const instance = new SDJwtVcInstance({
    hasher: sdJwtHasher,
    hashAlg: 'sha-256',
    saltGenerator: generateSalt,
    verifier: (data: string, sig: string) => nodeVerify(null, Buffer.from(data, 'ascii'), publicKey, Buffer.from(sig, 'base64url')),
  });
  const { payload } = await instance.verify(sdJwt);
  const meeco = (await verifySDJWT(
    sdJwt,
    async (jwt: string) => {
      const [h, p, s] = jwt.split('.') as [string, string, string];
      return nodeVerify(null, Buffer.from(`${h}.${p}`, 'ascii'), publicKey, Buffer.from(s, 'base64url'));
    },
    async () => (data: string) => createHash('sha256').update(data).digest('base64url'),
  )) as Record<string, unknown>;
  return { sdjwtvc: payload as Record<string, unknown>, meeco };
}

describe('core/sd-jwt/pack (the minting packer)', () => {
  for (const c of cases) {
    it(`${c.name}: same structure as @sd-jwt's pack, verified and decoded to the same claims by @sd-jwt/sd-jwt-vc and @meeco/sd-jwt`, async () => {
      const ours = packSdJwt(c.payload, c.frame);
      const theirs = await pack(c.payload, c.frame as never, { hasher: sdJwtHasher, alg: 'sha-256' }, pooledSalt);
      const theirShape = shape(
        { ...(theirs.packedClaims as object), _sd_alg: 'sha-256' },
        theirs.disclosures.map((d) => d.encode()),
      );
      expect(shape(ours.payload, ours.disclosures)).toEqual(theirShape);
      expect(ours.disclosures).toHaveLength(theirs.disclosures.length);

      const sdJwt = await issueSdJwt({ header: { typ: 'dc+sd-jwt' }, payload: c.payload, disclosureFrame: c.frame, signer });
      const { sdjwtvc, meeco } = await verifyWithPeers(sdJwt);
      expect(sdjwtvc).toEqual(c.payload);
      expect(meeco).toEqual(c.payload);
    });
  }

  it('the minted identity credential (10 claims, address, decoys) verifies in both peers with the claims it was given', async () => {
    const claims = validateIdentityClaims(sampleIdentityClaims());
    const holderJwk = publicJwkOf(generateKeyPairSync('ed25519').privateKey);
    // No status claim here: @sd-jwt/sd-jwt-vc would fetch the list (mint.test.ts checks status).
    const sdJwt = await mintIdentitySdJwtVc({
      issuerDid: 'did:example:issuer',
      signer,
      claims,
      holderDid: 'did:example:holder',
      holderJwk,
      iat: base.iat,
      exp: base.exp,
    });
    const expected = {
      iss: 'did:example:issuer',
      vct: RESIDENT_IDENTITY_VCT,
      iat: base.iat,
      exp: base.exp,
      cnf: { jwk: holderJwk },
      sub: 'did:example:holder',
      ...claims,
    };
    const { sdjwtvc, meeco } = await verifyWithPeers(sdJwt);
    expect(sdjwtvc).toEqual(expected);
    expect(meeco).toEqual(expected);

    // And the same disclosure layout as @sd-jwt's pack for the identity frame (its random decoy counts drawn once).
    const frame = identityDisclosureFrame(claims) as SdFrame;
    const ours = packSdJwt(expected, frame);
    const theirs = await pack(expected, frame as never, { hasher: sdJwtHasher, alg: 'sha-256' }, pooledSalt);
    expect(shape(ours.payload, ours.disclosures)).toEqual(
      shape(
        { ...(theirs.packedClaims as object), _sd_alg: 'sha-256' },
        theirs.disclosures.map((d) => d.encode()),
      ),
    );
    expect(ours.disclosures.length).toBe(1 + Object.keys(claims).length + Object.keys(claims.address).length);
  });

  it('uses fresh 144-bit salts (RFC 9901: at least 128) and sorted _sd arrays', () => {
    const { payload, disclosures } = packSdJwt(cases[1]!.payload, cases[1]!.frame);
    const salts = disclosures.map((d) => (JSON.parse(Buffer.from(d, 'base64url').toString('utf8')) as string[])[0]!);
    for (const s of salts) {
      expect(s).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(Buffer.from(s, 'base64url')).toHaveLength(18);
    }
    expect(new Set(salts).size).toBe(salts.length);
    const sd = (payload as { _sd: string[] })._sd;
    expect(sd).toEqual([...sd].sort());
    expect(sd).toHaveLength(2 + 2);
  });

  it('refuses a frame that discloses a reserved claim', async () => {
    for (const name of ['iss', 'cnf', 'status', 'vct', '_sd']) {
      await expect(issueSdJwt({ header: { typ: 'dc+sd-jwt' }, payload: { ...base, a: 1 }, disclosureFrame: { _sd: [name] }, signer })).rejects.toMatchObject({
        code: 'SD_RESERVED_CLAIM',
      });
    }
  });
});
