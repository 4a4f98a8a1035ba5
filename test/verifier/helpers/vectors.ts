import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { vectorsDir } from '../../helpers/tmp.js';

export type VectorCase = {
  name: string;
  dir: string;
  presentation: string;
  expected: Record<string, unknown>;
  keyBinding: boolean;
  settings: VectorSettings;
};

export type VectorSettings = {
  issuerJwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string };
  issuerPrivateJwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string; d: string };
  holderPrivateJwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string; d: string };
  verifier: string;
  nonce: string;
};

/** The few keys we need from a settings.yml (flat, two-space YAML): read by hand, no YAML library installed. */
export function readSettings(file: string): VectorSettings {
  const text = readFileSync(file, 'utf8');
  const keyAfter = (marker: RegExp) => {
    const start = text.search(marker);
    if (start < 0) throw new Error(`${file}: no ${marker}`);
    const block = text.slice(start);
    const field = (name: string) => {
      const m = new RegExp(`\\n\\s*-?\\s*${name}:\\s*"?([A-Za-z0-9_.-]+)"?`).exec(block);
      if (!m) throw new Error(`${file}: no ${name} after ${marker}`);
      return m[1]!;
    };
    return { kty: 'EC' as const, crv: 'P-256' as const, x: field('x'), y: field('y'), d: field('d') };
  };
  const issuer = keyAfter(/\n\s*issuer_keys?:/);
  const holder = keyAfter(/\n\s*holder_key:/);
  const verifier = /\n\s*verifier:\s*"([^"]+)"/.exec(text)?.[1];
  const nonce = /\nkey_binding_nonce:\s*"([^"]+)"/.exec(text)?.[1];
  if (!verifier || !nonce) throw new Error(`${file}: no verifier or nonce`);
  return { issuerJwk: { kty: 'EC', crv: 'P-256', x: issuer.x, y: issuer.y }, issuerPrivateJwk: issuer, holderPrivateJwk: holder, verifier, nonce };
}

const TREES = ['sd-jwt-python/tests/testcases', 'oauth-selective-disclosure-jwt/examples', 'oauth-sd-jwt-vc/examples'];

/** Every SD-JWT case with a generated presentation (compact .txt or flattened JSON). */
export function vectorCases(): VectorCase[] {
  const cases: VectorCase[] = [];
  for (const tree of TREES) {
    const root = path.join(vectorsDir, tree);
    const settings = readSettings(path.join(root, 'settings.yml'));
    const wrapped = !tree.startsWith('sd-jwt-python');
    for (const name of readdirSync(root).sort()) {
      const dir = path.join(root, name);
      const txt = path.join(dir, 'sd_jwt_presentation.txt');
      const json = path.join(dir, 'sd_jwt_presentation.json');
      let presentation: string;
      if (existsSync(txt)) {
        const raw = readFileSync(txt, 'utf8');
        presentation = wrapped ? raw.replace(/\s+/g, '') : raw.trim();
      } else if (existsSync(json)) {
        const raw = readFileSync(json, 'utf8');
        presentation = wrapped ? raw.replace(/\s+/g, '') : raw.trim();
      } else continue;
      const expected = JSON.parse(readFileSync(path.join(dir, 'verified_contents.json'), 'utf8')) as Record<string, unknown>;
      cases.push({ name: `${tree}/${name}`, dir, presentation, expected, keyBinding: existsSync(path.join(dir, 'kb_jwt_serialized.txt')), settings });
    }
  }
  return cases;
}

/** Near the time the vectors were generated (SOURCES.md): KB-JWT iat 2026-11-27. */
export const VECTOR_NOW = new Date('2026-11-27T12:00:00Z');
