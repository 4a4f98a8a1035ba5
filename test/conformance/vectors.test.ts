import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSuite, loadSuite, writeSuite, type CaseFile, type GenerateOptions } from '../../conformance/index.js';
import { loadTrustBundle, verifyPresentation } from '../../verifier/index.js';
import { NETCRED_DISCREPANCIES } from './known.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function written(options: GenerateOptions): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'netcred-vectors-'));
  dirs.push(dir);
  writeSuite(dir, await generateSuite(options));
  return dir;
}

/** Every file below `dir`, relative path to bytes. */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(path.relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

// The sections a case may cite: the verdict must come from one of these documents.
const CITED = /^(RFC 9901|SD-JWT VC|Token Status List|RFC 7515|RFC 7518|RFC 7519|RFC 7800|RFC 8032|RFC 8725|RFC 4648|RFC 8259) /;

describe('netcred vectors generate', () => {
  it('the same seed gives byte-identical suites (EdDSA and ES256), another seed another one', async () => {
    for (const alg of ['EdDSA', 'ES256'] as const) {
      const a = tree(await written({ alg, seed: 'repro' }));
      const b = tree(await written({ alg, seed: 'repro' }));
      expect([...a.keys()].sort()).toStrictEqual([...b.keys()].sort());
      for (const [file, bytes] of a) expect(bytes.equals(b.get(file)!), `${alg} ${file}`).toBe(true);
      if (alg === 'ES256') continue;
      const c = tree(await written({ alg, seed: 'other' }));
      expect(c.get('cases/kb-valid/sd_jwt_presentation.txt')!.equals(a.get('cases/kb-valid/sd_jwt_presentation.txt')!)).toBe(false);
    }
  });

  it('writes at least 100 cases, each in the Python reference layout with a case.json citing its section', async () => {
    const dir = await written({});
    const suite = loadSuite(dir);
    expect(suite.cases.length).toBeGreaterThanOrEqual(100);
    const groups = new Set(suite.cases.map((c) => c.file.group));
    expect([...groups].sort()).toStrictEqual(['disclosures', 'jws', 'key-binding', 'sd-jwt-vc', 'size', 'status', 'structure', 'times']);
    for (const c of suite.cases) {
      const f = c.file;
      expect(f.section, f.name).toMatch(CITED);
      expect(f.rationale.length, f.name).toBeGreaterThan(10);
      for (const file of ['specification.yml', 'sd_jwt_issuance.txt', 'sd_jwt_presentation.txt', 'issuer.jwk.json', 'holder.jwk.json', 'status/index.json'])
        expect(statSync(path.join(c.dir, file)).isFile(), `${f.name} ${file}`).toBe(true);
      if (f.expect === 'accept') expect(JSON.parse(readFileSync(path.join(c.dir, 'verified_contents.json'), 'utf8'))).toBeTypeOf('object');
      for (const l of f.status_lists) expect(readFileSync(path.join(c.dir, l.file), 'utf8').trim().split('.')).toHaveLength(3);
    }
    // The specification.yml marks selectively disclosable claims the way sd-jwt-python does.
    expect(readFileSync(path.join(dir, 'cases/recursive-all/specification.yml'), 'utf8')).toContain(
      '  !sd address:\n    !sd street_address: "Heidestrasse 17"',
    );
  });

  // netcred's own library verifier, in process, against each generated suite: the code of every
  // case, and the claims of every accepted one.
  it.each([
    ['EdDSA', 'dc+sd-jwt'],
    ['ES256', 'dc+sd-jwt'],
    ['EdDSA', 'vc+sd-jwt'],
  ] as const)('netcred verifies every %s %s case with the code the case names', async (alg, format) => {
    const dir = await written({ alg, format });
    const suite = loadSuite(dir);
    const trust = loadTrustBundle(path.join(dir, 'netcred-trust-bundle.json'));
    const differs: string[] = [];
    for (const c of suite.cases) {
      const f: CaseFile = c.file;
      const presentation = readFileSync(path.join(c.dir, f.files.presentation), 'utf8');
      const r = verifyPresentation(presentation, { trust, nonce: f.params.nonce, aud: f.params.aud, now: f.params.now_epoch * 1000 });
      if (f.netcred_differs) {
        differs.push(f.name);
        expect(r.valid, `${f.name}: netcred now follows the spec; drop it from test/conformance/known.ts`).toBe(true);
        continue;
      }
      expect(r.valid ? 'VALID' : r.code, `${f.name}: ${r.valid ? '' : r.message}`).toBe(f.code);
      if (r.valid) expect(r.claims, f.name).toStrictEqual(JSON.parse(readFileSync(path.join(c.dir, 'verified_contents.json'), 'utf8')));
    }
    expect(differs).toStrictEqual(format === 'dc+sd-jwt' ? [...NETCRED_DISCREPANCIES] : []);
  });

  it('covers ES256 signature encodings: DER rejected, high S accepted (RFC 7518 section 3.4)', async () => {
    const suite = loadSuite(await written({ alg: 'ES256' }));
    const byName = new Map(suite.cases.map((c) => [c.file.name, c.file]));
    expect(byName.get('jws-signature-der')).toMatchObject({ expect: 'reject', code: 'SIGNATURE_INVALID' });
    expect(byName.get('jws-signature-high-s')).toMatchObject({ expect: 'accept' });
    expect(byName.has('jws-signature-ed25519-s-plus-l')).toBe(false);
  });
});
