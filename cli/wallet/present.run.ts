import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { assertJsonDepth, encodeQrTransport, InvalidInputError, NetcredError, qrInfo, qrTerminal, writeQrPng, type QrInfo } from '../../core/index.js';
import {
  assertDcqlQuery,
  createPresentation,
  DEFAULT_KIOSK_AUD,
  disclosureQuery,
  learnedProfileQuery,
  WalletError,
  type DcqlQuery,
  type DisclosurePlan,
} from '../../holder/index.js';
import { isProfileName, type ProfileName } from '../../schemas/index.js';
import { printJson } from '../context.js';
import { readInput } from '../read-input.js';
import { askYesNo } from './prompt.js';
import { withUnlockedWallet } from './session.js';

export type PresentOptions = {
  profile?: string;
  dcql?: string;
  disclose?: string;
  credential?: string;
  aud?: string;
  nonce?: string;
  qr?: string;
  qrTerminal?: boolean;
  yes?: boolean;
  json?: boolean;
};

const MAX_DCQL_FILE = 64 * 1024;

function describePlan(plan: DisclosurePlan[], aud: string): string {
  const lines = [`The verifier "${aud}" will see:`];
  for (const p of plan) {
    lines.push(`  from ${p.vct ?? 'credential'} ${p.credentialId} (issuer ${p.iss}):`);
    for (const c of p.disclosed) lines.push(`    ${c.path.join('.')} = ${JSON.stringify(c.value)}`);
    if (p.disclosed.length === 0) lines.push('    (no selectively disclosable claim)');
  }
  return `${lines.join('\n')}\n`;
}

async function loadDcql(file: string): Promise<DcqlQuery> {
  let value: unknown;
  try {
    const text = await readInput(file, MAX_DCQL_FILE, 'DCQL query');
    assertJsonDepth(text, 'DCQL query');
    value = JSON.parse(text);
  } catch (cause) {
    if (cause instanceof NetcredError) throw cause;
    throw new WalletError('DCQL_INVALID', `the DCQL query is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  assertDcqlQuery(value);
  return value;
}

export async function runWalletPresent(opts: PresentOptions, cmd: Command): Promise<void> {
  if ([opts.profile, opts.dcql, opts.disclose].filter((o) => o !== undefined).length !== 1)
    throw new InvalidInputError('give exactly one of --profile, --dcql or --disclose');
  // lite and upgraded are built in; any other name is a registered type's profile the wallet learned.
  const profile: ProfileName | undefined = opts.profile !== undefined && isProfileName(opts.profile) ? opts.profile : undefined;
  const learnedName = opts.profile !== undefined && profile === undefined ? opts.profile : undefined;
  const dcql = opts.dcql === undefined ? undefined : await loadDcql(opts.dcql);
  if (!opts.yes && !process.stdin.isTTY) {
    throw new WalletError('CONFIRMATION_REQUIRED', 'presenting needs a confirmation on the terminal: run it on a terminal, or pass --yes');
  }
  const aud = opts.aud ?? (process.env.NETCRED_KIOSK_ID || DEFAULT_KIOSK_AUD); // an empty variable is unset
  const nonce = opts.nonce ?? randomBytes(16).toString('base64url');
  const iat = Math.floor(Date.now() / 1000);

  const result = await withUnlockedWallet(cmd, async (w) => {
    // --disclose: the query for exactly those claims of the credential named (or the newest).
    const adHoc = opts.disclose === undefined ? undefined : await disclosureQuery(w, opts.disclose, opts.credential);
    // A learned profile: its issuer's query, and the credential when the wallet must choose it.
    const learned = learnedName === undefined ? undefined : await learnedProfileQuery(w, learnedName, opts.credential);
    const credentialId = adHoc?.credentialId ?? learned?.credentialId ?? opts.credential;
    return createPresentation(w, {
      profile,
      dcql: adHoc?.query ?? learned?.query ?? dcql,
      ...(credentialId !== undefined ? { credentialId } : {}),
      aud,
      nonce,
      iat,
      confirm: async (plan) => {
        process.stderr.write(describePlan(plan, aud));
        if (opts.yes) return true;
        return askYesNo('Disclose and sign? [y/N] ');
      },
    });
  });

  let qr: (QrInfo & { file?: string; payload: string }) | undefined;
  if (opts.qr !== undefined || opts.qrTerminal) {
    const payload = encodeQrTransport(result.presentation);
    qr = { ...(opts.qr !== undefined ? { ...(await writeQrPng(opts.qr, payload)), file: opts.qr } : qrInfo(payload)), payload };
    // On stderr: stdout carries the presentation alone (`present --qr-terminal > p.txt` stays verifiable).
    if (opts.qrTerminal) process.stderr.write(await qrTerminal(payload));
    if (!opts.json)
      process.stderr.write(
        `QR: ${qr.chars} characters (NC1 base45), version ${qr.version} at error correction ${qr.errorCorrection}${qr.file ? `, written to ${qr.file}` : ''}\n`,
      );
  }
  if (opts.json) {
    const { presentation, credentialQueryId, credentialId, disclosed, vpToken } = result;
    printJson({ presentation, credentialQueryId, credentialId, disclosed, vpToken, aud, nonce, iat, ...(qr ? { qr } : {}) });
  } else process.stdout.write(`${result.presentation}\n`);
}
