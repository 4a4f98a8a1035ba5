import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CASE_FILE, SUITE_FILE, TRUST_BUNDLE_FILE, type CaseFile, type SuiteFile } from './case-file.js';
import type { GeneratedSuite } from './generate.js';
import { Suite, VCT, W3C_TYPE, type VectorCase } from './suite.js';
import { toYaml } from './yaml.js';

const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

/** The policy every case assumes (a verifier under test is configured this way). */
export const CASE_POLICY = {
  key_binding_required: true,
  kb_max_age_seconds: 300,
  clock_skew_seconds: 60,
  status_required: true,
  max_presentation_bytes: 65536,
} as const;

/** netcred's trust bundle for the suite: both trusted issuers and every status list (verifier/trust/bundle.ts format). */
function trustBundle(g: GeneratedSuite): unknown {
  const { suite } = g;
  const types = [suite.format === 'dc+sd-jwt' ? VCT : W3C_TYPE];
  return {
    format: 'netcred-trust-bundle',
    version: 1,
    updatedAt: iso(suite.now),
    issuers: [suite.issuer, suite.otherIssuer].map((k) => ({ id: k.did, vct: types, addedAt: iso(suite.now - 86400) })),
    typeMetadata: [],
    statusLists: [...suite.lists.values()].map((l) => ({ uri: l.uri, kind: 'token', issuer: l.issuer, jwt: l.jwt, fetchedAt: iso(l.fetchedAt) })),
  };
}

function caseFile(g: GeneratedSuite, c: VectorCase): CaseFile {
  const { suite } = g;
  const file: CaseFile = {
    name: c.name,
    group: c.group,
    title: c.title,
    expect: c.expect,
    code: c.code,
    section: c.section,
    rationale: c.rationale,
    alg: suite.alg,
    format: suite.format,
    params: { nonce: c.nonce, aud: suite.aud, now: iso(suite.now), now_epoch: suite.now },
    keys: {
      issuer_jwk: suite.issuer.publicJwk,
      issuer_did: suite.issuer.did,
      issuer_kid: suite.issuer.kid,
      holder_jwk: suite.holder.publicJwk,
      trusted_issuers: [suite.issuer.did, suite.otherIssuer.did],
      other_trusted_issuer_jwk: suite.otherIssuer.publicJwk,
    },
    policy: CASE_POLICY,
    files: {
      presentation: 'sd_jwt_presentation.txt',
      issuance: 'sd_jwt_issuance.txt',
      issuer_jwk: 'issuer.jwk.json',
      holder_jwk: 'holder.jwk.json',
      status_dir: 'status',
      trust_bundle: `../../${TRUST_BUNDLE_FILE}`,
      ...(c.verifiedClaims !== undefined ? { verified_contents: 'verified_contents.json' } : {}),
    },
    status_lists: c.statusLists.map((l, i) => ({ uri: l.uri, file: `status/${i}.jwt`, issuer: l.issuer })),
  };
  if (c.netcredNote) file.netcred_note = c.netcredNote;
  if (c.netcredDiffers) file.netcred_differs = c.netcredDiffers;
  return file;
}

function specification(c: VectorCase): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  if (c.userClaims) spec.user_claims = c.userClaims;
  if (c.holderDisclosed) spec.holder_disclosed_paths = c.holderDisclosed;
  if (c.verifiedClaims !== undefined) spec.expect_verified_user_claims = c.verifiedClaims;
  spec.key_binding = c.kb !== undefined;
  spec.serialization_format = c.presentation.startsWith('{') ? 'json' : 'compact';
  spec.expect = c.expect;
  spec.expect_code = c.code;
  spec.section = c.section;
  return spec;
}

function writeCase(dir: string, g: GeneratedSuite, c: VectorCase): void {
  mkdirSync(path.join(dir, 'status'), { recursive: true });
  const put = (name: string, text: string) => writeFileSync(path.join(dir, name), text);
  put('specification.yml', toYaml(specification(c)));
  if (c.userClaims) put('user_claims.json', json(Suite.plain(c.userClaims)));
  if (c.payload !== undefined) put('sd_jwt_payload.json', json(c.payload));
  put('sd_jwt_jws_part.txt', `${c.issuerJwt}\n`);
  put('sd_jwt_issuance.txt', `${c.issuance}\n`);
  put('sd_jwt_presentation.txt', `${c.presentation}\n`);
  if (c.kb) {
    put('kb_jwt_header.json', json(c.kb.header));
    put('kb_jwt_payload.json', json(c.kb.payload));
    put('kb_jwt_serialized.txt', `${c.kb.serialized}\n`);
  }
  if (c.verifiedClaims !== undefined) put('verified_contents.json', json(c.verifiedClaims));
  put('issuer.jwk.json', json(g.suite.issuer.publicJwk));
  put('holder.jwk.json', json(g.suite.holder.publicJwk));
  c.statusLists.forEach((l, i) => {
    put(`status/${i}.jwt`, `${l.jwt}\n`);
  });
  put('status/index.json', json(Object.fromEntries(c.statusLists.map((l, i) => [l.uri, `${i}.jwt`]))));
  put(CASE_FILE, json(caseFile(g, c)));
}

/**
 * Writes the suite: `suite.json` (the index), the netcred trust bundle, the keys, and one folder
 * per case under `cases/`. An existing `cases/` is replaced, so a second run leaves no stale case.
 */
export function writeSuite(out: string, g: GeneratedSuite): SuiteFile {
  const { suite, cases, options } = g;
  mkdirSync(out, { recursive: true });
  rmSync(path.join(out, 'cases'), { recursive: true, force: true });
  for (const c of cases) writeCase(path.join(out, 'cases', c.name), g, c);
  writeFileSync(path.join(out, TRUST_BUNDLE_FILE), json(trustBundle(g)));
  mkdirSync(path.join(out, 'keys'), { recursive: true });
  writeFileSync(path.join(out, 'keys', 'issuer.jwk.json'), json(suite.issuer.publicJwk));
  writeFileSync(path.join(out, 'keys', 'holder.jwk.json'), json(suite.holder.publicJwk));
  writeFileSync(path.join(out, 'keys', 'holder.private.jwk.json'), json(suite.holder.privateJwk));
  writeFileSync(path.join(out, 'keys', 'other-issuer.jwk.json'), json(suite.otherIssuer.publicJwk));
  const index: SuiteFile = {
    generator: 'netcred vectors generate',
    seed: options.seed,
    alg: options.alg,
    format: options.format,
    now: iso(suite.now),
    trust_bundle: TRUST_BUNDLE_FILE,
    cases: cases.map((c) => ({ name: c.name, group: c.group, expect: c.expect, code: c.code, section: c.section, dir: `cases/${c.name}` })),
  };
  writeFileSync(path.join(out, SUITE_FILE), json(index));
  return index;
}
