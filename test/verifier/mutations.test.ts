import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { VERIFY_CODES, verifyPresentation, type VerifierOptions, type VerifyRequest } from '../../verifier/index.js';
import { AUD, NOW, present, sdJwtOf, world, type World } from './helpers/fixture.js';

const LITE = ['given_name', 'family_name', 'age_over_18'];
const CODES = new Set<string>(VERIFY_CODES);
const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_~.';

let w: World;
let valid: string;
let foreignKbs: string[];
/** Presentations the holder really made: a mutation that lands exactly on one of them is not a forgery. */
let genuine: Set<string>;
let opts: VerifierOptions & VerifyRequest;

beforeAll(async () => {
  w = await world();
  const cred = await w.mintIdentity();
  valid = await present(cred, LITE, w.holder.priv, { nonce: 'fc-nonce' });
  // KB-JWTs of other presentations by the same holder: same key, same aud, same nonce.
  const other = await w.mintIdentity();
  const others = [
    await present(cred, ['given_name', 'family_name'], w.holder.priv, { nonce: 'fc-nonce' }),
    await present(cred, [...LITE, 'birthdate'], w.holder.priv, { nonce: 'fc-nonce' }),
    await present(other, LITE, w.holder.priv, { nonce: 'fc-nonce' }),
  ];
  foreignKbs = others.map((p) => p.slice(p.lastIndexOf('~') + 1));
  genuine = new Set([valid, ...others]);
  opts = { trust: w.store, aud: AUD, now: NOW, nonce: 'fc-nonce' };
});

type Parts = { jwt: string; disclosures: string[]; kb: string };
const split = (p: string): Parts => {
  const s = p.split('~');
  return { jwt: s[0]!, disclosures: s.slice(1, -1), kb: s[s.length - 1]! };
};
const join = ({ jwt, disclosures, kb }: Parts) => `${[jwt, ...disclosures].join('~')}~${kb}`;

/** Mutations of a presentation string; each returns the mutated text. */
const mutation = (): fc.Arbitrary<(p: string) => string> =>
  fc.oneof(
    fc.tuple(fc.nat(), fc.constantFrom(...CHARS)).map(([i, c]) => (p: string) => {
      const at = i % p.length;
      return p.slice(0, at) + c + p.slice(at + 1);
    }),
    fc.tuple(fc.nat(), fc.constantFrom(...CHARS)).map(([i, c]) => (p: string) => {
      const at = i % (p.length + 1);
      return p.slice(0, at) + c + p.slice(at);
    }),
    fc.nat().map((n) => (p: string) => p.slice(0, n % p.length)),
    fc.nat().map((k) => (p: string) => {
      const s = split(p);
      s.disclosures.splice(k % s.disclosures.length, 1);
      return join(s);
    }),
    fc.nat().map((k) => (p: string) => {
      const s = split(p);
      const d = s.disclosures[k % s.disclosures.length]!;
      s.disclosures.splice(k % (s.disclosures.length + 1), 0, d);
      return join(s);
    }),
    fc.array(fc.nat(), { minLength: 3, maxLength: 3 }).map((keys) => (p: string) => {
      const s = split(p);
      const order = s.disclosures.map((d, i) => ({ d, k: keys[i]! }));
      s.disclosures = order.sort((a, b) => a.k - b.k).map((x) => x.d);
      return join(s);
    }),
    fc
      .nat()
      .map((k) => (p: string) => ({ ...split(p), kb: foreignKbs[k % foreignKbs.length]! }))
      .map((f) => (p: string) => join(f(p))),
    fc.constant((p: string) => p.slice(0, p.lastIndexOf('~') + 1)),
  );

describe('property: mutated presentations', () => {
  it('the unmutated presentation is valid (so rejections below mean something)', () => {
    expect(verifyPresentation(valid, opts)).toMatchObject({ valid: true });
  });

  it('10,000 mutations of an SD-JWT+KB are never accepted and always give a typed code', () => {
    fc.assert(
      fc.property(fc.array(mutation(), { minLength: 1, maxLength: 3 }), (ms) => {
        const mutated = ms.reduce((p, m) => m(p), valid);
        const r = verifyPresentation(mutated, opts);
        // With key binding, sd_hash covers the JWT and every disclosure in order: any change, even a
        // reordering or a dropped disclosure, must be rejected, unless it rebuilt exactly another
        // presentation the holder signed (drop a disclosure + that presentation's KB-JWT).
        if (genuine.has(mutated)) return r.valid;
        const ok = r.valid === false && typeof r.code === 'string' && CODES.has(r.code);
        return ok;
      }),
      { numRuns: 10_000 },
    );
  });

  it('without key binding, reordering or dropping disclosures is legitimately valid; duplicates and flips are not', () => {
    const cred = split(valid);
    const plain = sdJwtOf(cred.jwt, cred.disclosures);
    const noKb = { ...opts, requireKeyBinding: false };
    const base = verifyPresentation(plain, noKb);
    expect(base.valid).toBe(true);
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 3, maxLength: 3 }), fc.nat({ max: 3 }), (keys, keep) => {
        const shuffled = cred.disclosures
          .map((d, i) => ({ d, k: keys[i]! }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.d)
          .slice(0, keep);
        const r = verifyPresentation(sdJwtOf(cred.jwt, shuffled), noKb);
        // valid, and exactly the kept claims are disclosed
        const names = LITE.filter((n) => Object.hasOwn(r.claims, n));
        return r.valid && names.length === keep;
      }),
      { numRuns: 200 },
    );
    expect(verifyPresentation(sdJwtOf(cred.jwt, [...cred.disclosures, cred.disclosures[0]!]), noKb).code).toBe('DISCLOSURE_DUPLICATE_DIGEST');
  });
});
