import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError } from '../../core/index.js';
import type { LoadedCase } from './load.js';

/** The placeholders a command template or an HTTP mapping may use. */
export const PLACEHOLDERS = {
  presentation: 'path of the file holding the presentation',
  presentation_text: 'the presentation itself',
  issuance: 'path of the file holding the issued SD-JWT (all disclosures)',
  issuer_jwk: "path of the issuer's public JWK (JSON)",
  issuer_jwk_json: "the issuer's public JWK, as JSON text",
  issuer_did: "the issuer's did:jwk",
  issuer_kid: "the issuer's kid (<did>#0)",
  holder_jwk: "path of the holder's public JWK",
  nonce: 'the nonce the verifier expects in the KB-JWT',
  aud: 'the audience the verifier expects in the KB-JWT',
  now: 'the verification time, ISO 8601',
  now_epoch: 'the verification time, seconds since the epoch',
  status_dir: 'folder of the status list tokens (index.json maps each URI to its file)',
  trust_bundle: "path of netcred's trust bundle for the suite",
  case_dir: 'the case folder',
  case: 'the case name',
  expect: 'accept or reject',
} as const;

export type Placeholder = keyof typeof PLACEHOLDERS;

/** The value of every placeholder for one case (paths absolute). */
export function caseValues(c: LoadedCase): Record<Placeholder, string> {
  const f = c.file;
  const at = (p: string) => path.resolve(c.dir, p);
  return {
    presentation: at(f.files.presentation),
    presentation_text: readFileSync(at(f.files.presentation), 'utf8').trim(),
    issuance: at(f.files.issuance),
    issuer_jwk: at(f.files.issuer_jwk),
    issuer_jwk_json: JSON.stringify(f.keys.issuer_jwk),
    issuer_did: f.keys.issuer_did,
    issuer_kid: f.keys.issuer_kid,
    holder_jwk: at(f.files.holder_jwk),
    nonce: f.params.nonce,
    aud: f.params.aud,
    now: f.params.now,
    now_epoch: String(f.params.now_epoch),
    status_dir: at(f.files.status_dir),
    trust_bundle: at(f.files.trust_bundle),
    case_dir: c.dir,
    case: f.name,
    expect: f.expect,
  };
}

const PATTERN = /\{([a-z_]+)\}/g;

/**
 * Throws INVALID_INPUT for a placeholder the runner does not know (a typo would silently test
 * nothing); `known` is the set of the command at hand (default: the vector runner's).
 */
export function checkTemplate(template: string, what: string, known: Readonly<Record<string, string>> = PLACEHOLDERS): void {
  for (const m of template.matchAll(PATTERN)) {
    if (!Object.hasOwn(known, m[1]!))
      throw new InvalidInputError(
        `${what}: unknown placeholder {${m[1]}} (known: ${Object.keys(known)
          .map((p) => `{${p}}`)
          .join(' ')})`,
      );
  }
}

/** POSIX shell single quoting: the value reaches the command as one argument, whatever it holds. */
export const shellQuote = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`;

/** Fills a template; `quote` wraps each value (shell quoting for commands, JSON escaping for bodies). */
export function fill(template: string, values: Readonly<Record<string, string>>, quote: (v: string) => string = (v) => v): string {
  return template.replace(PATTERN, (whole, name: string) => (Object.hasOwn(values, name) ? quote(values[name]!) : whole));
}
