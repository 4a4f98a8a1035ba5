import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLASS_CONTRACT, ERROR_CODES, type ErrorClass, type ErrorCode } from '../../core/index.js';
import { VERIFY_CODES } from '../../verifier/index.js';
import { repoRoot } from '../helpers/cli.js';

const SOURCE_DIRS = ['core', 'issuer', 'holder', 'verifier', 'cli', 'schemas'];
/** The table itself: the scan looks for codes everywhere else. */
const TABLE_FILE = 'core/errors/codes.ts';
/** Upper-case strings that are not error codes: environment variables, Node's own error codes. */
const NOT_CODES = /^(NETCRED_|ERR_)/;
/** Upper-case names in the doc that are not codes: the lists themselves. */
const LIST_NAMES = new Set(['VERIFY_CODES', 'ERROR_CODES']);

const TABLE = ERROR_CODES as Record<ErrorCode, { class: ErrorClass; status?: number; error?: string }>;
const tableCodes = new Set(Object.keys(TABLE) as ErrorCode[]);
const statusOf = (code: ErrorCode) => TABLE[code].status ?? CLASS_CONTRACT[TABLE[code].class].status;

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
    const rel = path.relative(repoRoot, file);
    if (rel === TABLE_FILE) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g)) if (!NOT_CODES.test(m[1]!) && !found.has(m[1]!)) found.set(m[1]!, rel);
    for (const m of text.matchAll(/(?:Error|Locked|fail|invalid|notFound)\(\s*'([A-Z][A-Z0-9_]+)'/g))
      if (!NOT_CODES.test(m[1]!) && !found.has(m[1]!)) found.set(m[1]!, rel);
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

/**
 * OID4VCI_<ERROR> codes are built from the OAuth error on the wire: the issuer's
 * (issuer/oid4vci/errors.ts) and those of the one HTTP contract and rate limit (core/http/),
 * which the wallet reports under the same name.
 */
function wireCodes(): Set<string> {
  const files = ['issuer/oid4vci/errors.ts', ...readdirSync(path.join(repoRoot, 'core/http')).map((f) => `core/http/${f}`)];
  const errors = files.flatMap((f) => [...readFileSync(path.join(repoRoot, f), 'utf8').matchAll(/'([a-z]+(?:_[a-z]+)+)'/g)].map((m) => m[1]!));
  return new Set(errors.map((e) => `OID4VCI_${e.toUpperCase()}`));
}

const doc = readFileSync(path.join(repoRoot, 'docs/error-codes.md'), 'utf8');

function documentedCodes(): Set<string> {
  return new Set([...doc.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!).filter((c) => !NOT_CODES.test(c) && !LIST_NAMES.has(c)));
}

/** "How a code reaches you": `- verdict: ...` lines name the codes of each class but input; `- input with HTTP 404: ...` the other statuses. */
function documentedClasses(): { byClass: Map<string, Set<string>>; byStatus: Map<number, Set<string>> } {
  const codes = (text: string) => new Set([...text.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));
  const byClass = new Map([...doc.matchAll(/^- (verdict|storage|setup|internal): (.+)$/gm)].map((m) => [m[1]!, codes(m[2]!)]));
  const byStatus = new Map([...doc.matchAll(/^- input with HTTP (\d{3}): (.+)$/gm)].map((m) => [Number(m[1]), codes(m[2]!)]));
  return { byClass, byStatus };
}

/** Rows of the doc's tables whose last column is an HTTP status: [codes of the first cell, the status]. */
function documentedStatuses(): { codes: string[]; status: number; row: string }[] {
  const rows: { codes: string[]; status: number; row: string }[] = [];
  let httpColumn = false;
  for (const line of doc.split('\n')) {
    if (!line.startsWith('|')) {
      httpColumn = false;
      continue;
    }
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells[0] === 'Code') httpColumn = /^HTTP/.test(cells.at(-1) ?? '');
    const status = /^(\d{3})( \+ `Retry-After`)?$/.exec(cells.at(-1) ?? '');
    if (httpColumn && status)
      rows.push({ codes: [...cells[0]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!), status: Number(status[1]), row: cells[0]! });
  }
  return rows;
}

describe('docs/error-codes.md, the table of codes (core/errors/codes.ts) and the source', () => {
  const inSource = codesInSource();
  const documented = documentedCodes();

  it('the table holds every code raised in the source', () => {
    expect(inSource.size).toBeGreaterThan(100);
    const missing = [...inSource].filter(([code]) => !tableCodes.has(code as ErrorCode)).map(([code, file]) => `${code} (${file})`);
    expect(missing, `add these codes to ${TABLE_FILE} and docs/error-codes.md`).toEqual([]);
  });

  it('the table holds no code that the source no longer raises', () => {
    const wire = wireCodes();
    const stale = [...tableCodes].filter((c) => !inSource.has(c) && !wire.has(c));
    expect(stale, `remove these codes from ${TABLE_FILE} and docs/error-codes.md`).toEqual([]);
  });

  it('documents every code of the table, and no other', () => {
    expect(
      [...tableCodes].filter((c) => !documented.has(c)),
      'add these codes to docs/error-codes.md',
    ).toEqual([]);
    expect(
      [...documented].filter((c) => !tableCodes.has(c as ErrorCode)),
      `remove these codes from docs/error-codes.md, or add them to ${TABLE_FILE}`,
    ).toEqual([]);
  });

  it('every verification verdict code is in the table and documented', () => {
    expect(VERIFY_CODES.filter((c) => !tableCodes.has(c) || !documented.has(c))).toEqual([]);
  });

  it('"How a code reaches you" lists the codes of each class but input, and each other HTTP status, as the table says', () => {
    const { byClass, byStatus } = documentedClasses();
    for (const cls of ['verdict', 'storage', 'setup', 'internal'] as const) {
      expect([...(byClass.get(cls) ?? [])].sort(), cls).toEqual([...tableCodes].filter((c) => TABLE[c].class === cls).sort());
    }
    const statuses = new Set([...tableCodes].flatMap((c) => (TABLE[c].status ? [TABLE[c].status!] : [])));
    expect([...byStatus.keys()].sort()).toEqual([...statuses].sort());
    for (const status of statuses)
      expect([...byStatus.get(status)!].sort(), `HTTP ${status}`).toEqual([...tableCodes].filter((c) => TABLE[c].status === status).sort());
  });

  it('the HTTP column of every table says what the table gives', () => {
    const rows = documentedStatuses();
    expect(rows.length).toBeGreaterThan(40);
    const wrong = rows.flatMap(({ codes, status, row }) =>
      codes
        .filter((c) => tableCodes.has(c as ErrorCode) && statusOf(c as ErrorCode) !== status)
        .map((c) => `${c}: docs ${status}, table ${statusOf(c as ErrorCode)} (${row})`),
    );
    expect(wrong).toEqual([]);
  });
});
