import { renameSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { assertJsonDepth, InvalidInputError } from '../../core/index.js';
import { CREDENTIAL_FORMATS, issueCredential, openIssuer, type CredentialFormat } from '../../issuer/index.js';
import { dataDirOf, printJson } from '../context.js';
import { readInput } from '../read-input.js';

function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

export type IssueOpts = { holder: string; claims: string; format: string; type?: string; companion?: string; json?: boolean };

/** Claims files hold a few short strings and at most a 64 KiB portrait (base64). */
export const MAX_CLAIMS_FILE = 256 * 1024;

export function parseClaimsJson(text: string): unknown {
  assertJsonDepth(text, 'claims');
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InvalidInputError(`claims are not valid JSON: ${(cause as Error).message}`, [{ path: 'claims', message: 'malformed JSON' }], cause);
  }
}

function parseFormat(value: string): CredentialFormat {
  if (!(CREDENTIAL_FORMATS as readonly string[]).includes(value)) {
    throw new InvalidInputError(`--format must be one of ${CREDENTIAL_FORMATS.join(', ')}`, [{ path: 'format', message: `unknown format ${value}` }]);
  }
  return value as CredentialFormat;
}

export async function runIssuerIssue(opts: IssueOpts, cmd: Command): Promise<void> {
  const format = parseFormat(opts.format);
  // Input is read and parsed before the issuer is opened: bad input touches nothing.
  const claims = parseClaimsJson(await readInput(opts.claims, MAX_CLAIMS_FILE, 'claims file'));
  const ctx = await openIssuer({ dataDir: dataDirOf(cmd) });
  try {
    const issued = await issueCredential(
      ctx,
      { holderDid: opts.holder, claims, format, ...(opts.type !== undefined ? { vct: opts.type } : {}) },
      { liteCompanion: opts.companion !== undefined || opts.json === true },
    );
    // Written (temp file + rename) before the credential is printed: a caller that has the credential has its companion.
    if (opts.companion !== undefined && issued.companion !== undefined) writeFileAtomic(opts.companion, `${issued.companion}\n`);
    if (opts.json) {
      const { id, credential, companion, vct, holderDid, issuedAt, expiresAt } = issued;
      printJson({ id, credential, ...(companion !== undefined ? { companion } : {}), format: issued.format, vct, holderDid, issuedAt, expiresAt });
    } else process.stdout.write(`${issued.credential}\n`);
  } finally {
    await ctx.close();
  }
}
