import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCompact, decodeSdJwt, parseDisclosure, sdDigest, type SdHashAlg } from '../../core/index.js';
import { vectorsDir } from '../helpers/tmp.js';

/** Every folder holding an sd_jwt_payload.json, with whether its text files are line-wrapped (RFC folders). */
function cases(): { name: string; dir: string; wrapped: boolean }[] {
  const out: { name: string; dir: string; wrapped: boolean }[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const p = path.join(dir, entry);
      if (statSync(p).isDirectory()) visit(p);
      else if (entry === 'sd_jwt_payload.json')
        out.push({ name: path.relative(vectorsDir, dir), dir, wrapped: path.relative(vectorsDir, dir).startsWith('oauth-') });
    }
  };
  visit(vectorsDir);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

function readText(file: string, wrapped: boolean): string {
  const text = readFileSync(file, 'utf8');
  return wrapped ? text.replace(/\s+/g, '') : text.trim();
}

/** The issuer JWT and the encoded disclosures of an issuance, compact or flattened JSON. */
function issuanceOf(dir: string, wrapped: boolean): { jwt: string; disclosures: string[] } {
  const compact = path.join(dir, 'sd_jwt_issuance.txt');
  if (existsSync(compact)) {
    const parts = readText(compact, wrapped).split('~');
    return { jwt: parts[0]!, disclosures: parts.slice(1).filter((p) => p !== '') };
  }
  let json: unknown = JSON.parse(readText(path.join(dir, 'sd_jwt_issuance.json'), wrapped));
  if (typeof json === 'string') json = JSON.parse(json); // sd-jwt-python stores the JSON as a JSON string
  const j = json as { protected: string; payload: string; signature: string; header: { disclosures: string[] } };
  return { jwt: `${j.protected}.${j.payload}.${j.signature}`, disclosures: j.header.disclosures };
}

/** Every digest referenced anywhere: `_sd` arrays and `{"...": d}` array elements, at any depth. */
function collectDigests(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const el of value) {
      if (el && typeof el === 'object' && !Array.isArray(el) && typeof (el as Record<string, unknown>)['...'] === 'string') {
        into.add((el as Record<string, string>)['...']!);
      } else collectDigests(el, into);
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '_sd' && Array.isArray(v)) for (const d of v) into.add(d as string);
      else collectDigests(v, into);
    }
  }
}

const all = cases();

describe('shared SD-JWT vectors: disclosure digests', () => {
  it('finds the vector folders', () => {
    expect(all.length).toBeGreaterThanOrEqual(30);
  });

  for (const c of all) {
    it(c.name, () => {
      const payload = JSON.parse(readFileSync(path.join(c.dir, 'sd_jwt_payload.json'), 'utf8')) as Record<string, unknown>;
      const { jwt, disclosures } = issuanceOf(c.dir, c.wrapped);
      // The signed payload is the one the folder shows.
      expect(decodeCompact(jwt).payload).toEqual(payload);
      const alg = (payload._sd_alg ?? 'sha-256') as SdHashAlg;
      const referenced = new Set<string>();
      collectDigests(payload, referenced);
      for (const encoded of disclosures) collectDigests(parseDisclosure(encoded).value, referenced);
      for (const encoded of disclosures) expect(referenced, `digest of ${encoded}`).toContain(sdDigest(encoded, alg));
    });
  }
});

describe('decodeSdJwt on the vectors', () => {
  for (const c of all.filter((x) => existsSync(path.join(x.dir, 'sd_jwt_presentation.txt')))) {
    it(`${c.name}: claims of the presentation equal verified_contents.json`, () => {
      const decoded = decodeSdJwt(readText(path.join(c.dir, 'sd_jwt_presentation.txt'), c.wrapped));
      expect(decoded.problems).toEqual([]);
      expect(decoded.disclosures.every((d) => d.referenced)).toBe(true);
      const expected = JSON.parse(readFileSync(path.join(c.dir, 'verified_contents.json'), 'utf8'));
      expect(decoded.claims).toEqual(expected);
    });
  }
});
