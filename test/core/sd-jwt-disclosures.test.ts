import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { b64uEncode, decodeCompact, parseDisclosure, parseSdJwt, sdDigest, type Disclosure } from '../../core/index.js';
// Internals on purpose: this file tests the disclosure processing behind verifySdJwt and decodeSdJwt.
import { disclosuresWithin } from '../../core/sd-jwt/claim-tree.js';
import { DisclosureError, MAX_CLAIM_DEPTH, processDisclosures, sdAlgOf } from '../../core/sd-jwt/disclosures.js';
import { vectorsDir } from '../helpers/tmp.js';

let n = 0;
/** A disclosure with a fresh salt: [name, value] for a property, [value] for an array element. */
function disclose(...nameValue: unknown[]): Disclosure {
  return parseDisclosure(b64uEncode(JSON.stringify([`salt-${n++}-aaaaaaaaaaaa`, ...nameValue])));
}
const dig = (d: Disclosure) => sdDigest(d.encoded);

function thrown(fn: () => unknown): DisclosureError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DisclosureError);
    return err as DisclosureError;
  }
  throw new Error('expected a DisclosureError');
}

describe('processDisclosures: RFC 9901 section 7.1, one processor for every role', () => {
  it('processes the RFC 9901 example presentation like the specification says, in every mode', () => {
    const dir = path.join(vectorsDir, 'oauth-selective-disclosure-jwt/examples/simple');
    const parsed = parseSdJwt(readFileSync(path.join(dir, 'sd_jwt_presentation.txt'), 'utf8').replace(/\s+/g, ''));
    const { payload } = decodeCompact(parsed.jwt);
    const expected = JSON.parse(readFileSync(path.join(dir, 'verified_contents.json'), 'utf8'));
    const signed = structuredClone(payload);
    for (const options of [{}, { collect: true }, { tree: true }]) {
      const r = processDisclosures(payload, parsed.disclosures, options);
      expect(r.claims).toMatchObject(expected);
      expect(r.problems).toEqual([]);
      expect(r.referenced.every(Boolean)).toBe(true);
      expect(r.digests).toEqual(parsed.disclosures.map(dig));
    }
    expect(payload).toStrictEqual(signed); // never mutated
  });

  it('throws the first violation with the verifier code (and where, when tracking paths)', () => {
    const street = disclose('street', 'Main St');
    const collide = disclose('street', 'Other St');
    const collision = () => processDisclosures({ address: { _sd: [dig(street), dig(collide)] } }, [street, collide]);
    expect(thrown(collision)).toMatchObject({ code: 'DISCLOSURE_NAME_COLLISION', message: 'disclosed claim "street" already exists at its level' });
    expect(thrown(() => processDisclosures({ address: { _sd: [dig(street), dig(collide)] } }, [street, collide], { tree: true }))).toMatchObject({
      path: '$.address',
    });
    const el = disclose('DE');
    expect(thrown(() => processDisclosures({ _sd: [dig(el)] }, [el])).code).toBe('DISCLOSURE_MALFORMED');
    const prop = disclose('country', 'DE');
    expect(thrown(() => processDisclosures({ n: [{ '...': dig(prop) }] }, [prop])).code).toBe('DISCLOSURE_MALFORMED');
    expect(thrown(() => processDisclosures({ _sd: 'x' }, [])).code).toBe('MALFORMED');
    expect(thrown(() => processDisclosures({ _sd: [1] }, [])).code).toBe('MALFORMED');
  });

  it('collects every violation without throwing (decode), and leaves the offending disclosures out', () => {
    const a = disclose('a', 1);
    const forbidden = disclose('_sd', 2);
    const dots = disclose('...', 3);
    const shadow = disclose('_sd_alg', 'sha-512');
    const el = disclose('DE');
    const stray = disclose('stray', true);
    const payload = {
      _sd_alg: 'sha-256',
      _sd: [dig(a), dig(forbidden), dig(dots), dig(shadow), dig(el)],
      list: [{ '...': dig(el) }, { '...': 'decoy', other: 1 }],
      odd: { '...': 'x' },
    };
    const r = processDisclosures(payload, [a, forbidden, dots, shadow, el, stray, a], { collect: true });
    expect(r.problems.map((p) => [p.code, p.path])).toEqual([
      ['DISCLOSURE_DUPLICATE_DIGEST', '$'], // the 7th disclosure repeats the 1st
      ['DISCLOSURE_MALFORMED', '$.list'], // "..." with another member
      ['DISCLOSURE_MALFORMED', '$.odd'], // "..." outside an array
      ['DISCLOSURE_FORBIDDEN_NAME', '$'],
      ['DISCLOSURE_FORBIDDEN_NAME', '$'],
      ['DISCLOSURE_NAME_COLLISION', '$'], // may not shadow the dropped _sd_alg
      ['DISCLOSURE_DUPLICATE_DIGEST', '$'], // el's digest, already used in list
      ['DISCLOSURE_UNREFERENCED', '$'],
    ]);
    expect(r.claims).toStrictEqual({ list: ['DE'], odd: {}, a: 1 });
    expect(r.referenced).toEqual([true, true, true, true, true, false, true]);
  });

  it('builds the claim tree for presentation planning: which disclosure revealed what, and where', () => {
    const street = disclose('street', 'Main St');
    const address = disclose('address', { _sd: [dig(street)], country: 'DE' });
    const fr = disclose('FR');
    const nested = disclose({ _sd: [dig(street)] }); // never reached: street is taken above
    const payload = { _sd: [dig(address)], nationalities: ['US', { '...': dig(fr) }, { '...': 'decoy' }] };
    const r = processDisclosures(payload, [street, address, fr], { tree: true });
    expect(r.claims).toStrictEqual({ nationalities: ['US', 'FR'], address: { country: 'DE', street: 'Main St' } });
    expect(r.paths).toEqual([['address', 'street'], ['address'], ['nationalities', 1]]);
    const root = r.root!;
    expect(root.value).toBe(r.claims);
    const addr = root.children!.get('address')!;
    expect(addr.disclosure).toBe(1);
    expect(addr.children!.get('street')).toEqual({ value: 'Main St', disclosure: 0 });
    expect(addr.children!.get('country')).toEqual({ value: 'DE' });
    expect(root.children!.get('nationalities')!.children!.get(1)).toEqual({ value: 'FR', disclosure: 2 });
    const within = new Set<number>();
    disclosuresWithin(addr, within);
    expect([...within]).toEqual([0]);
    expect(thrown(() => processDisclosures(payload, [street, address, fr, nested], { tree: true })).code).toBe('DISCLOSURE_UNREFERENCED');
  });

  it('keeps a disclosed __proto__ an own claim in every mode', () => {
    const p = disclose('__proto__', { admin: true });
    for (const options of [{}, { collect: true }, { tree: true }]) {
      const { claims } = processDisclosures({ _sd: [dig(p)] }, [p], options);
      expect(Object.getPrototypeOf(claims)).toBe(Object.prototype);
      expect((claims as { admin?: boolean }).admin).toBeUndefined();
      expect(Object.hasOwn(claims, '__proto__')).toBe(true);
    }
  });

  it('bounds nesting (MALFORMED) and checks _sd_alg against the accepted list (SD_ALG_UNSUPPORTED, even when collecting)', () => {
    let deep: unknown = 1;
    for (let i = 0; i <= MAX_CLAIM_DEPTH; i++) deep = [deep];
    expect(thrown(() => processDisclosures({ deep }, [])).code).toBe('MALFORMED');
    expect(processDisclosures({ deep }, [], { collect: true }).problems.map((p) => p.code)).toEqual(['MALFORMED']);
    expect(thrown(() => processDisclosures({ _sd_alg: 'md5' }, [], { collect: true })).code).toBe('SD_ALG_UNSUPPORTED');
    expect(thrown(() => sdAlgOf({ _sd_alg: 'sha-512' }, ['sha-256'])).code).toBe('SD_ALG_UNSUPPORTED');
    const a = disclose('a', 1);
    const r = processDisclosures({ _sd_alg: 'sha-512', _sd: [sdDigest(a.encoded, 'sha-512')] }, [a]);
    expect(r).toMatchObject({ sdAlg: 'sha-512', claims: { a: 1 } });
  });
});
