import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERIFY_CODES } from '../../verifier/errors.js';
import { repoRoot } from '../helpers/cli.js';

const SOURCE_DIRS = ['core', 'issuer', 'holder', 'verifier', 'cli', 'schemas'];
/** Upper-case strings that are not error codes: environment variables, Node's own error codes. */
const NOT_CODES = /^(NETCRED_|ERR_)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/**
 * Codes in the source: quoted UPPER_SNAKE literals (codes, `code: '...'` findings), and
 * single-word literals passed first to an error constructor or helper (`new X('MALFORMED', ...)`).
 */
function codesInSource(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of SOURCE_DIRS.flatMap((d) => sourceFiles(path.join(repoRoot, d)))) {
    const text = readFileSync(file, 'utf8');
    const rel = path.relative(repoRoot, file);
    for (const m of text.matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g)) if (!NOT_CODES.test(m[1]!) && !found.has(m[1]!)) found.set(m[1]!, rel);
    for (const m of text.matchAll(/(?:Error|Locked|fail|invalid|notFound)\(\s*'([A-Z][A-Z0-9_]+)'/g)) if (!NOT_CODES.test(m[1]!) && !found.has(m[1]!)) found.set(m[1]!, rel);
  }
  // A bounded fetch fails with a reason; its code is FETCH_<reason> (core/http/fetch-bounded.ts).
  const fetchFile = path.join(repoRoot, 'core/http/fetch-bounded.ts');
  const union = existsSync(fetchFile) ? (/type FetchFailure =([^;]+);/.exec(readFileSync(fetchFile, 'utf8'))?.[1] ?? '') : '';
  for (const m of union.matchAll(/'([A-Z_]+)'/g)) {
    if (found.get(m[1]!) === 'core/http/fetch-bounded.ts') found.delete(m[1]!);
    found.set(`FETCH_${m[1]!}`, 'core/http/fetch-bounded.ts');
  }
  return found;
}

function documentedCodes(): Set<string> {
  const doc = readFileSync(path.join(repoRoot, 'docs/error-codes.md'), 'utf8');
  return new Set([...doc.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));
}

describe('docs/error-codes.md', () => {
  const inSource = codesInSource();
  const documented = documentedCodes();

  it('documents every code raised in the source', () => {
    expect(inSource.size).toBeGreaterThan(100);
    const missing = [...inSource].filter(([code]) => !documented.has(code)).map(([code, file]) => `${code} (${file})`);
    expect(missing, 'add these codes to docs/error-codes.md').toEqual([]);
  });

  it('documents every verification verdict code', () => {
    expect(VERIFY_CODES.filter((c) => !documented.has(c))).toEqual([]);
  });

  it('documents no code that the source no longer raises', () => {
    // OID4VCI_<ERROR> codes are built from the OAuth error on the wire.
    const oauth = readFileSync(path.join(repoRoot, 'issuer/oid4vci/errors.ts'), 'utf8');
    const wire = new Set([...oauth.matchAll(/\| '([a-z_]+)'/g)].map((m) => `OID4VCI_${m[1]!.toUpperCase()}`));
    const stale = [...documented].filter((c) => !inSource.has(c) && !wire.has(c) && !NOT_CODES.test(c) && c !== 'VERIFY_CODES');
    expect(stale, 'remove or fix these codes in docs/error-codes.md').toEqual([]);
  });
});
