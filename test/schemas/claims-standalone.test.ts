import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber, sampleIdentityClaims, validateIdentityClaims } from '../../schemas/index.js';
// Internals on purpose: the enrollment console's bundle validates with exactly these two (the pure
// checks and the validator compiled ahead of time); this pins that they answer as the server does.
import { checkIdentityClaims, type ClaimsSchemaValidator } from '../../schemas/resident-identity/check.js';
import { claimsValidatorSource } from '../../schemas/resident-identity/standalone.js';
import { tempDir } from '../helpers/tmp.js';

const require = createRequire(import.meta.url);

function serverAnswer(input: unknown, now: Date): unknown {
  try {
    return { ok: true, claims: validateIdentityClaims(input, { now }) };
  } catch (err) {
    return { ok: false, details: (err as { details?: unknown }).details };
  }
}

describe('the claims validator compiled ahead of time (the enrollment console)', () => {
  const tmp = tempDir('netcred-claims-standalone-');
  let validate: ClaimsSchemaValidator;
  beforeAll(async () => {
    const file = path.join(tmp.dir, 'claims-validator.mjs');
    writeFileSync(
      file,
      claimsValidatorSource((s) => pathToFileURL(require.resolve(s)).href),
    );
    validate = ((await import(pathToFileURL(file).href)) as { default: ClaimsSchemaValidator }).default;
  });
  afterAll(() => tmp.cleanup());

  it('has no eval, no require left (the page CSP allows neither)', () => {
    const source = claimsValidatorSource();
    expect(source).not.toMatch(/\brequire\(|new Function|\beval\(/);
    expect(source).toMatch(/^import \* as __cjs0 from "ajv\/dist\/runtime\/ucs2length";$/m);
  });

  it('answers every input exactly as the server validation does', () => {
    const now = new Date('2026-11-27T12:00:00Z');
    const sample = sampleIdentityClaims();
    const inputs: unknown[] = [
      sample,
      { ...sample, id_number: '12345' },
      { ...sample, id_number: `${sample.id_number.slice(0, 17)}${sample.id_number.endsWith('0') ? '1' : '0'}` },
      { ...sample, id_number: makeIdNumber('110105', '1990-01-01', 2) },
      { ...sample, birthdate: '2026-02-30', sex: 5, nationality: 'ZZ', extra: 1 },
      { ...sample, given_name: '', family_name: '𝒜'.repeat(100), address: { ...sample.address, postal_code: '!' } },
      { ...sample, given_name: '𝒜'.repeat(101) },
      { ...sample, age_over_18: false },
      { ...sample, portrait: 'data:image/jpeg;base64,bm90IGEganBlZw==' },
      {},
      [],
      null,
      'claims',
    ];
    for (const input of inputs) {
      const page = checkIdentityClaims(validate, input, now);
      const answer = page.ok ? { ok: true, claims: page.claims } : { ok: false, details: page.details };
      expect(answer, JSON.stringify(input)?.slice(0, 80)).toEqual(serverAnswer(input, now));
    }
    expect((checkIdentityClaims(validate, inputs[1], now) as { details: unknown }).details).toEqual([
      { path: 'id_number', message: 'must be 17 digits followed by a digit or X' },
    ]);
  });
});
