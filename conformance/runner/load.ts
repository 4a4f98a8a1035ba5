import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError } from '../../core/index.js';
import { CASE_FILE, SUITE_FILE, type CaseFile, type SuiteFile } from '../vectors/case-file.js';

export type LoadedCase = { dir: string; file: CaseFile };
export type LoadedSuite = { dir: string; suite: SuiteFile; cases: LoadedCase[] };

function readJson<T>(file: string, what: string): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new InvalidInputError(`cannot read ${what} ${file}: generate a suite with netcred vectors generate --out DIR`, undefined, cause);
  }
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new InvalidInputError(`${what} ${file} is not JSON`, undefined, cause);
  }
}

/** Reads a generated suite (suite.json and every case.json); `only` keeps the cases whose name matches. */
export function loadSuite(dir: string, only?: RegExp): LoadedSuite {
  const root = path.resolve(dir);
  const suite = readJson<SuiteFile>(path.join(root, SUITE_FILE), 'suite index');
  if (!Array.isArray(suite.cases)) throw new InvalidInputError(`${path.join(root, SUITE_FILE)} has no cases[]`);
  const cases = suite.cases
    .filter((c) => !only || only.test(c.name))
    .map((c) => {
      const caseDir = path.resolve(root, c.dir);
      if (!caseDir.startsWith(root + path.sep)) throw new InvalidInputError(`case ${c.name}: ${c.dir} is outside the suite`);
      return { dir: caseDir, file: readJson<CaseFile>(path.join(caseDir, CASE_FILE), 'case file') };
    });
  if (cases.length === 0) throw new InvalidInputError(only ? `no case matches ${String(only)}` : 'the suite has no case');
  return { dir: root, suite, cases };
}
