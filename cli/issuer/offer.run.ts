import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import QRCode from 'qrcode';
import { assertJsonDepth, InputTooLargeError, InvalidInputError, isCredentialFormat } from '../../core/index.js';
import { createEnrollmentOffer, openIssuer, type EnrollmentGrant } from '../../issuer/index.js';
import { dataDirOf, printJson } from '../context.js';

export type OfferOpts = {
  claims: string;
  byReference?: boolean;
  txCode?: boolean;
  evidenceMethod: string;
  station: string;
  format: string;
  type?: string;
  grant: string;
  qr?: boolean;
  json?: boolean;
};

const MAX_CLAIMS_FILE = 256 * 1024;

function readClaimsFile(file: string): unknown {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (cause) {
    throw new InvalidInputError(`cannot read claims file ${file}`, [{ path: 'claims', message: 'file not found' }], cause);
  }
  if (size > MAX_CLAIMS_FILE) throw new InputTooLargeError(`claims file ${file}`, MAX_CLAIMS_FILE);
  const text = readFileSync(file, 'utf8');
  assertJsonDepth(text, `claims file ${file}`);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InvalidInputError(`claims file ${file} is not JSON`, [{ path: 'claims', message: 'not JSON' }], cause);
  }
}

export async function runIssuerOffer(opts: OfferOpts, cmd: Command): Promise<void> {
  const claims = readClaimsFile(opts.claims);
  if (!isCredentialFormat(opts.format)) throw new InvalidInputError('--format must be dc+sd-jwt or vc+sd-jwt', [{ path: 'format', message: 'unknown format' }]);
  const ctx = await openIssuer({ dataDir: dataDirOf(cmd) });
  try {
    const result = await createEnrollmentOffer(ctx, {
      claims,
      evidence: { method: opts.evidenceMethod, station: opts.station, time: new Date().toISOString() },
      txCode: opts.txCode === true,
      format: opts.format,
      grant: opts.grant as EnrollmentGrant,
      ...(opts.type !== undefined ? { vct: opts.type } : {}),
    });
    if (opts.json) {
      printJson({
        offer: result.offer,
        ...(result.txCode ? { txCode: result.txCode } : {}),
        offerUri: result.offerUri,
        expiresAt: result.expiresAt,
        offerId: result.offerId,
      });
      return;
    }
    const uri = opts.byReference ? result.offerUri : result.offer;
    process.stdout.write(`${uri}\n`);
    if (opts.qr) process.stderr.write(await QRCode.toString(uri, { type: 'terminal', small: true }));
    if (result.txCode) process.stderr.write(`transaction code (tell the resident, not in the QR): ${result.txCode}\n`);
    if (opts.grant !== 'pre-authorized_code')
      process.stderr.write(
        `enrollment ${result.offerId}: approve the wallet's authorization request for it (POST /admin/authorizations/{reference}/approve)\n`,
      );
    process.stderr.write(`offer expires at ${result.expiresAt}\n`);
  } finally {
    await ctx.close();
  }
}
