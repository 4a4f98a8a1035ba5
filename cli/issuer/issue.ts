import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import { CREDENTIAL_FORMATS, issueCredential } from '../../issuer/issuance/index.js';
import type { CredentialFormat } from '../../issuer/issuance/records.js';
import { openIssuer } from '../../issuer/open.js';
import { readInput } from '../decode.js';
import { dataDirOf, printJson } from '../context.js';

/** Claims files hold a few short strings and at most a 64 KiB portrait (base64). */
export const MAX_CLAIMS_FILE = 256 * 1024;

export function parseClaimsJson(text: string): unknown {
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

export function registerIssuerIssue(issuer: Command): void {
  issuer
    .command('issue')
    .description('mint the resident identity credential for a holder DID (prints the SD-JWT)')
    .requiredOption('--holder <did>', 'holder DID (did:key, did:jwk or did:web): the key the credential is bound to')
    .requiredOption('--claims <file>', 'JSON file with the identity claims, or - for stdin')
    .option('--format <format>', 'dc+sd-jwt (SD-JWT VC) or vc+sd-jwt (W3C VCDM 2.0)', 'dc+sd-jwt')
    .option('--json', 'print {id, credential, format, vct, holderDid, issuedAt, expiresAt}')
    .action(async (opts: { holder: string; claims: string; format: string; json?: boolean }, cmd: Command) => {
      const format = parseFormat(opts.format);
      // Input is read and parsed before the issuer is opened: bad input touches nothing.
      const claims = parseClaimsJson(await readInput(opts.claims, MAX_CLAIMS_FILE, 'claims file'));
      const ctx = await openIssuer({ dataDir: dataDirOf(cmd) });
      try {
        const issued = await issueCredential(ctx, { holderDid: opts.holder, claims, format });
        if (opts.json) {
          const { id, credential, vct, holderDid, issuedAt, expiresAt } = issued;
          printJson({ id, credential, format: issued.format, vct, holderDid, issuedAt, expiresAt });
        } else process.stdout.write(`${issued.credential}\n`);
      } finally {
        await ctx.close();
      }
    });
}
