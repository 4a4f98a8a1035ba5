import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import QRCode from 'qrcode';
import { InputTooLargeError, InvalidInputError } from '../../core/errors.js';
import { createEnrollmentOffer } from '../../issuer/oid4vci/enroll.js';
import { openIssuer } from '../../issuer/open.js';
import { dataDirOf, printJson } from '../context.js';

const MAX_CLAIMS_FILE = 256 * 1024;

function readClaimsFile(file: string): unknown {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (cause) {
    throw new InvalidInputError(`cannot read claims file ${file}`, [{ path: 'claims', message: 'file not found' }], cause);
  }
  if (size > MAX_CLAIMS_FILE) throw new InputTooLargeError(`claims file ${file}`, MAX_CLAIMS_FILE);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new InvalidInputError(`claims file ${file} is not JSON`, [{ path: 'claims', message: 'not JSON' }], cause);
  }
}

/**
 * `netcred issuer offer`: registers an enrollment (claims + proofing evidence) and prints a
 * credential offer. Works on the data dir while `issuer serve` runs (SQLite WAL).
 */
export function registerIssuerOffer(issuer: Command): void {
  issuer
    .command('offer')
    .description('enroll a resident (verified claims + evidence) and print an OpenID4VCI credential offer')
    .requiredOption('--claims <file>', 'JSON file with the verified identity claims')
    .option('--tx-code', 'protect the offer with a 6-digit transaction code')
    .option('--evidence-method <method>', 'how the identity was proven: chip+face or face', 'chip+face')
    .option('--station <id>', 'enrollment station id', 'cli')
    .option('--format <format>', 'dc+sd-jwt or vc+sd-jwt', 'dc+sd-jwt')
    .option('--by-reference', 'print the offer as credential_offer_uri (a smaller QR code) instead of by value')
    .option('--qr', 'also print the offer as a terminal QR code')
    .option('--json', 'print {"offer", "txCode", "offerUri", "expiresAt", "offerId"} as JSON')
    .action(async (opts: { claims: string; byReference?: boolean; txCode?: boolean; evidenceMethod: string; station: string; format: string; qr?: boolean; json?: boolean }, cmd: Command) => {
      const claims = readClaimsFile(opts.claims);
      if (opts.format !== 'dc+sd-jwt' && opts.format !== 'vc+sd-jwt') throw new InvalidInputError('--format must be dc+sd-jwt or vc+sd-jwt', [{ path: 'format', message: 'unknown format' }]);
      const ctx = await openIssuer({ dataDir: dataDirOf(cmd) });
      try {
        const result = await createEnrollmentOffer(ctx, {
          claims,
          evidence: { method: opts.evidenceMethod, station: opts.station, time: new Date().toISOString() },
          txCode: opts.txCode === true,
          format: opts.format,
        });
        if (opts.json) {
          printJson({ offer: result.offer, ...(result.txCode ? { txCode: result.txCode } : {}), offerUri: result.offerUri, expiresAt: result.expiresAt, offerId: result.offerId });
          return;
        }
        const uri = opts.byReference ? result.offerUri : result.offer;
        process.stdout.write(`${uri}\n`);
        if (opts.qr) process.stderr.write(await QRCode.toString(uri, { type: 'terminal', small: true }));
        if (result.txCode) process.stderr.write(`transaction code (tell the resident, not in the QR): ${result.txCode}\n`);
        process.stderr.write(`offer expires at ${result.expiresAt}\n`);
      } finally {
        await ctx.close();
      }
    });
}
