import type { Command } from 'commander';
import { InvalidInputError } from '../../core/index.js';
import {
  certificateSummary,
  createIssuerCertificate,
  importIssuerCertificate,
  issuerCertificateChain,
  MAX_CHAIN_PEM_BYTES,
  openIssuer,
  pemOf,
} from '../../issuer/index.js';
import { dataDirOf, printJson } from '../context.js';
import { readInput } from '../read-input.js';

export type IssuerCertOpts = { import?: string; show?: boolean; chain?: boolean; replace?: boolean; days?: string; json?: boolean };

function parseDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 3650)
    throw new InvalidInputError('--days must be a whole number of days from 1 to 3650');
  return Number(value);
}

export async function runIssuerCert(opts: IssuerCertOpts, cmd: Command): Promise<void> {
  if (opts.show && (opts.import !== undefined || opts.replace || opts.days !== undefined))
    throw new InvalidInputError('--show only prints: it cannot be combined with --import, --replace or --days');
  if (opts.chain && !opts.show) throw new InvalidInputError('--chain goes with --show');
  if (opts.import !== undefined && opts.days !== undefined)
    throw new InvalidInputError('--days is for a development certificate; an imported one has the validity your CA gave it');
  const days = parseDays(opts.days);
  const pem = opts.import !== undefined ? await readInput(opts.import, MAX_CHAIN_PEM_BYTES, 'certificate chain PEM') : undefined;
  const ctx = await openIssuer({ dataDir: dataDirOf(cmd) });
  try {
    if (opts.show) {
      const chain = issuerCertificateChain(ctx);
      if (!chain) throw new InvalidInputError('this issuer has no certificate chain: create one with `netcred issuer cert` or import one with --import');
      if (opts.chain) {
        process.stdout.write(`${chain.certificates.map(pemOf).join('\n')}\n`);
        return;
      }
      if (!chain.root) {
        const top = chain.certificates[chain.certificates.length - 1]!;
        throw new InvalidInputError(
          `the chain ends at a certificate issued by ${top.issuer.replace(/\n/g, ', ')}, whose root is not in it: verifiers need that root from your CA`,
        );
      }
      process.stdout.write(`${pemOf(chain.root)}\n`);
      return;
    }
    const chain =
      pem !== undefined
        ? importIssuerCertificate(ctx, pem, { replace: opts.replace })
        : await createIssuerCertificate(ctx, { replace: opts.replace, leafDays: days });
    const summary = certificateSummary(chain);
    if (opts.json) printJson(summary);
    else {
      process.stdout.write(`issuer certificate ${summary.subject}, issued by ${summary.issuer}, valid until ${summary.notAfter}\n`);
      process.stdout.write(`  names: ${[...summary.dnsNames.map((d) => `DNS:${d}`), ...summary.uris.map((u) => `URI:${u}`)].join(', ')}\n`);
    }
    if (pem === undefined)
      process.stderr.write(
        'a development CA signed it; its private key is not kept. Give verifiers its root: `netcred issuer cert --show > root.pem`, then `netcred verifier trust add-cert root.pem`.\n',
      );
    const ttlEnd = Date.now() + ctx.config.credentialTtlSeconds * 1000;
    if (Date.parse(summary.notAfter) < ttlEnd)
      process.stderr.write(
        `warning: the certificate expires (${summary.notAfter}) before credentials issued now do; verifiers refuse them from then on (X509_CERT_EXPIRED)\n`,
      );
    process.stderr.write('a running `netcred issuer serve` signs with the new chain when restarted\n');
  } finally {
    await ctx.close();
  }
}
