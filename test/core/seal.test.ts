import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSealed, seal, type SealFormat } from '../../core/index.js';
// Internals on purpose: each role's sealing at rest must open core/crypto/seal.ts's layout and keep its own key derivation.
import { open as walletOpen } from '../../holder/crypto/seal.js';
import { seal as offerSeal, unseal as offerUnseal } from '../../issuer/oid4vci/secrets.js';
import { unseal as issuerUnseal } from '../../issuer/secrets/seal.js';

/** Values sealed by the wallet's, the issuer's KMS and the issuer's offer code before core/crypto/seal.ts existed. */
const fixture = JSON.parse(readFileSync(new URL('./fixtures/sealed-v1.json', import.meta.url), 'utf8')) as {
  key: string;
  plaintext: string;
  wallet: { aad: string; sealed: string };
  issuer: { aad: string; sealed: string };
  offer: { aad: string; value: unknown; sealed: string };
};
const key = Buffer.from(fixture.key, 'base64url');

/** Two distinct published codes, to tell the two faults apart. */
const format = (layout: SealFormat['layout']): SealFormat => ({
  layout,
  codes: { malformed: 'SEALED_INVALID', wrongKey: 'SECRET_INVALID' },
  names: { value: 'value', key: 'the key' },
});
const FIRST = format('tag-first');
const LAST = format('tag-last');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('AES-256-GCM sealing (core/crypto/seal.ts)', () => {
  it('values the wallet, the issuer KMS and the offer store sealed with their old code still open, through core and through each role', () => {
    const walletBytes = Buffer.from(fixture.wallet.sealed, 'base64url');
    expect(openSealed(key, walletBytes, fixture.wallet.aad, FIRST).toString('utf8')).toBe(fixture.plaintext);
    expect(walletOpen(key, walletBytes, fixture.wallet.aad).toString('utf8')).toBe(fixture.plaintext);
    expect(openSealed(key, Buffer.from(fixture.issuer.sealed, 'base64url'), fixture.issuer.aad, LAST).toString('utf8')).toBe(fixture.plaintext);
    expect(issuerUnseal(key, fixture.issuer.sealed, fixture.issuer.aad).toString('utf8')).toBe(fixture.plaintext);
    expect(offerUnseal(key, fixture.offer.aad, fixture.offer.sealed)).toEqual(fixture.offer.value);
    const [iv, tag, ct] = fixture.offer.sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
    expect(JSON.parse(openSealed(key, Buffer.concat([Buffer.from([1]), iv!, tag!, ct!]), fixture.offer.aad, FIRST).toString('utf8'))).toEqual(
      fixture.offer.value,
    );
  });

  it('offer records keep their three-part text form', () => {
    const sealed = offerSeal(key, 'offer-1', { a: [1, 'b'] });
    const parts = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
    expect(parts.map((p) => p.length)).toEqual([12, 16, JSON.stringify({ a: [1, 'b'] }).length]);
    expect(offerUnseal(key, 'offer-1', sealed)).toEqual({ a: [1, 'b'] });
    for (const bad of [`${sealed}.x`, sealed.split('.').slice(0, 2).join('.'), `A${sealed}`, ''])
      expect(
        codeOf(() => offerUnseal(key, 'offer-1', bad)),
        bad,
      ).toBe('SECRET_MISMATCH');
    expect(codeOf(() => offerUnseal(key, 'offer-2', sealed))).toBe('SECRET_MISMATCH');
  });

  it('a value read with the other layout is refused, never misread', () => {
    expect(codeOf(() => openSealed(key, Buffer.from(fixture.wallet.sealed, 'base64url'), fixture.wallet.aad, LAST))).toBe('SECRET_INVALID');
    expect(codeOf(() => openSealed(key, Buffer.from(fixture.issuer.sealed, 'base64url'), fixture.issuer.aad, FIRST))).toBe('SECRET_INVALID');
  });

  it('each layout round-trips, empty plaintext included, with a fresh IV each time', () => {
    for (const f of [FIRST, LAST]) {
      for (const plaintext of [Buffer.alloc(0), randomBytes(1), randomBytes(300)]) {
        const a = seal(key, plaintext, 'row:1', f);
        expect(a).toHaveLength(1 + 12 + 16 + plaintext.length);
        expect(a[0]).toBe(1);
        expect(openSealed(key, a, 'row:1', f)).toEqual(plaintext);
        expect(seal(key, plaintext, 'row:1', f).subarray(1, 13)).not.toEqual(a.subarray(1, 13));
      }
    }
  });

  it('another key, another AAD or one flipped bit does not open; a wrong shape is malformed', () => {
    for (const f of [FIRST, LAST]) {
      const sealed = seal(key, Buffer.from('secret'), 'row:1', f);
      expect(codeOf(() => openSealed(randomBytes(32), sealed, 'row:1', f))).toBe('SECRET_INVALID');
      expect(codeOf(() => openSealed(key, sealed, 'row:2', f))).toBe('SECRET_INVALID');
      for (let i = 1; i < sealed.length; i++) {
        const flipped = Buffer.from(sealed);
        flipped[i]! ^= 1;
        expect(
          codeOf(() => openSealed(key, flipped, 'row:1', f)),
          `byte ${i}`,
        ).toBe('SECRET_INVALID');
      }
      const otherVersion = Buffer.from(sealed);
      otherVersion[0] = 2;
      expect(codeOf(() => openSealed(key, otherVersion, 'row:1', f))).toBe('SEALED_INVALID');
      expect(codeOf(() => openSealed(key, sealed.subarray(0, 28), 'row:1', f))).toBe('SEALED_INVALID');
      expect(codeOf(() => openSealed(key, 'not bytes' as never, 'row:1', f))).toBe('SEALED_INVALID');
    }
  });

  it('each role keeps its published codes', () => {
    expect(codeOf(() => walletOpen(randomBytes(32), Buffer.from(fixture.wallet.sealed, 'base64url'), fixture.wallet.aad))).toBe('SEALED_RECORD_INVALID');
    expect(codeOf(() => walletOpen(key, Buffer.alloc(10), fixture.wallet.aad))).toBe('SEALED_RECORD_INVALID');
    expect(codeOf(() => issuerUnseal(randomBytes(32), fixture.issuer.sealed, fixture.issuer.aad))).toBe('SECRET_INVALID');
    expect(codeOf(() => issuerUnseal(key, 'AQ', fixture.issuer.aad))).toBe('SEALED_INVALID');
  });
});
