/**
 * The files of a generated suite, as the runner reads them: `suite.json` at the root and a
 * `case.json` in each case folder. Plain JSON, so any tool can read them.
 */
export const SUITE_FILE = 'suite.json';
export const CASE_FILE = 'case.json';
export const TRUST_BUNDLE_FILE = 'netcred-trust-bundle.json';

export type CaseFile = {
  name: string;
  group: string;
  title: string;
  expect: 'accept' | 'reject';
  /** netcred's verdict code (`VALID` when accepted). */
  code: string;
  /** The section that requires the verdict. */
  section: string;
  rationale: string;
  alg: string;
  format: string;
  params: { nonce: string; aud: string; now: string; now_epoch: number };
  keys: { issuer_jwk: unknown; issuer_did: string; issuer_kid: string; holder_jwk: unknown; trusted_issuers: string[]; other_trusted_issuer_jwk: unknown };
  policy: Record<string, unknown>;
  /** Paths relative to the case folder. */
  files: {
    presentation: string;
    issuance: string;
    issuer_jwk: string;
    holder_jwk: string;
    status_dir: string;
    trust_bundle: string;
    verified_contents?: string;
  };
  status_lists: { uri: string; file: string; issuer: string }[];
  netcred_note?: string;
  /** netcred's verdict differs from the spec's (the case keeps the spec's). */
  netcred_differs?: string;
};

export type SuiteFile = {
  generator: string;
  seed: string;
  alg: string;
  format: string;
  now: string;
  trust_bundle: string;
  cases: { name: string; group: string; expect: 'accept' | 'reject'; code: string; section: string; dir: string }[];
};
