/**
 * The conformance tool: a generator of SD-JWT (VC) test vectors and a runner that points them at
 * any verifier (a command line, an HTTP endpoint, a library adapter). A tool, not a role: it
 * imports core/ only.
 */
export { DEFAULT_NOW, DEFAULT_SEED, generateSuite, type GenerateOptions, type GeneratedSuite } from './vectors/generate.js';
export { writeSuite, CASE_POLICY } from './vectors/write.js';
export { CASE_FILE, SUITE_FILE, TRUST_BUNDLE_FILE, type CaseFile, type SuiteFile } from './vectors/case-file.js';
export type { VectorAlg } from './vectors/keys.js';
export type { VectorFormat } from './vectors/suite.js';
export { runConformance, type RunOptions, type Target } from './runner/run.js';
export { loadSuite, type LoadedCase, type LoadedSuite } from './runner/load.js';
export { NETCRED_MAPPING, readMapping, type HttpMapping } from './runner/http-mapping.js';
export { caseValues, PLACEHOLDERS, type Placeholder } from './runner/template.js';
export { junitReport, jsonReport, markdownReport, terminalReport } from './runner/report.js';
export type { CaseResult, Observation, RunReport, Verdict } from './runner/result.js';
export { checkIssuer, type IssuerCheckOptions } from './issuer/check-issuer.js';
export { checkWallet, DEFAULT_DCQL, WALLET_PLACEHOLDERS, type Interactive, type WalletCheckOptions } from './wallet/check-wallet.js';
export { WALLET_CASES, type WalletCase } from './wallet/cases.js';
