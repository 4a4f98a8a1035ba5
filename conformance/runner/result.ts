import type { CaseFile } from '../vectors/case-file.js';

/** What an implementation did with a case: accepted, rejected, or failed to answer (crash, timeout, unknown exit). */
export type Verdict = 'accept' | 'reject' | 'error';

export type Observation = {
  verdict: Verdict;
  /** What it said, in one line (the first line of its output, else the last of its errors; or the HTTP answer). */
  said: string;
  /** The error code it gave, when the configuration says how to read one. */
  code?: string;
  /** Exit code (command) or HTTP status. */
  status?: number;
};

export type CaseResult = Observation & {
  name: string;
  group: string;
  title: string;
  expect: CaseFile['expect'];
  /** netcred's code for the case (the code a strict verifier gives). */
  expectedCode: string;
  section: string;
  rationale: string;
  pass: boolean;
  /** Why it failed, in words: the rule broken. */
  failure?: string;
  netcredDiffers?: string;
};

export type RunReport = {
  implementation: string;
  suite: { dir: string; alg: string; format: string; seed: string; now: string };
  total: number;
  passed: number;
  failed: number;
  results: CaseResult[];
};

/** Pass when the verdict is the expected one (and, with `strictCodes`, the code too). */
export function judge(file: CaseFile, seen: Observation, strictCodes: boolean): CaseResult {
  const base = {
    name: file.name,
    group: file.group,
    title: file.title,
    expect: file.expect,
    expectedCode: file.code,
    section: file.section,
    rationale: file.rationale,
    ...seen,
  };
  let failure: string | undefined;
  if (seen.verdict === 'error') failure = `no verdict (${seen.said}); ${file.expect === 'reject' ? 'must reject' : 'must accept'}: ${file.section}`;
  else if (seen.verdict !== file.expect)
    failure =
      file.expect === 'reject' ? `accepted what ${file.section} rejects: ${file.rationale}` : `rejected what ${file.section} accepts: ${file.rationale}`;
  else if (strictCodes && file.expect === 'reject' && seen.code !== file.code) failure = `rejected with ${seen.code ?? 'no code'}, expected ${file.code}`;
  const result: CaseResult = { ...base, pass: failure === undefined };
  if (failure) result.failure = failure;
  if (file.netcred_differs) result.netcredDiffers = file.netcred_differs;
  return result;
}
