import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/index.js';
import { createVerifierDevChain, loadVerifierX509 } from '../../verifier/index.js';
import { dataDirOf, printJson } from '../context.js';

export type VerifierCertOpts = { dns: string; name?: string; days: string; out?: string; force?: boolean; json?: boolean };

export async function runVerifierCert(opts: VerifierCertOpts, cmd: Command): Promise<void> {
  if (!/^[0-9]{1,4}$/.test(opts.days) || Number(opts.days) < 1)
    throw new InvalidInputError('--days must be a whole number of days, 1 to 9999', [{ path: 'days', message: opts.days }]);
  const dir = path.resolve(opts.out ?? path.join(dataDirOf(cmd), 'verifier', 'x509'));
  const files = { ca: path.join(dir, 'ca.pem'), chain: path.join(dir, 'chain.pem'), key: path.join(dir, 'key.pem') };
  const existing = Object.values(files).filter((f) => existsSync(f));
  if (existing.length && !opts.force)
    throw new InvalidInputError(`${existing.join(', ')} already exist: pass --force to replace them`, [{ path: 'out', message: dir }]);
  const made = await createVerifierDevChain({ dnsName: opts.dns, ...(opts.name ? { name: opts.name } : {}), days: Number(opts.days) });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(files.ca, made.caPem);
  writeFileSync(files.chain, made.chainPem);
  writeFileSync(files.key, made.keyPem, { mode: 0o600 });
  chmodSync(files.key, 0o600);
  const { x509, clientId } = loadVerifierX509({ certPem: made.chainPem, keyPem: made.keyPem, clientId: `x509_san_dns:${opts.dns}` });
  const out = { ca: files.ca, chain: files.chain, key: files.key, client_ids: [clientId, `x509_hash:${x509.hash}`], name: x509.name };
  if (opts.json) return printJson(out);
  process.stdout.write(
    [
      `development verifier certificate for ${opts.dns} (${x509.name ?? opts.dns})`,
      `  CA (wallets trust it)   ${files.ca}     netcred wallet trust add-cert ${files.ca}`,
      `  certificate chain       ${files.chain}`,
      `  private key (0600)      ${files.key}`,
      `  client ids              ${clientId}`,
      `                          x509_hash:${x509.hash}`,
      `serve with: netcred verifier serve --bundle BUNDLE --host ${opts.dns} --x509-cert ${files.chain} --x509-key ${files.key} --client-id ${clientId}`,
      '',
    ].join('\n'),
  );
}
