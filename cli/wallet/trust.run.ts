import type { Command } from 'commander';
import { NetcredError } from '../../core/index.js';
import { addVerifierRoots, describeRoot, readVerifierRoots, removeVerifierRoot, verifierRootsFile, type VerifierRootInfo } from '../../holder/index.js';
import { dataDirOf, printJson } from '../context.js';
import { readInput } from '../read-input.js';

const MAX_PEM = 256 * 1024;

const line = (r: VerifierRootInfo): string => `${r.name ?? r.subject}  ${r.fingerprint}  until ${r.validTo}`;

export async function runWalletTrustAdd(file: string, opts: { json?: boolean }, cmd: Command): Promise<void> {
  const dataDir = dataDirOf(cmd);
  const result = addVerifierRoots(dataDir, await readInput(file, MAX_PEM, 'the certificate'));
  if (opts.json) return printJson(result);
  for (const r of result.added) process.stdout.write(`trusted verifier root ${line(r)}\n`);
  for (const r of result.alreadyTrusted) process.stdout.write(`already trusted: ${line(r)}\n`);
  process.stderr.write(`(in ${verifierRootsFile(dataDir)})\n`);
}

export function runWalletTrustList(opts: { json?: boolean }, cmd: Command): void {
  const roots = readVerifierRoots(dataDirOf(cmd)).map(describeRoot);
  if (opts.json) {
    printJson({ roots });
    return;
  }
  if (roots.length === 0) process.stdout.write('no trusted verifier roots (netcred wallet trust add-cert ROOT.pem)\n');
  for (const r of roots) process.stdout.write(`${line(r)}\n`);
}

export function runWalletTrustRemove(fingerprint: string, opts: { json?: boolean }, cmd: Command): void {
  const removed = removeVerifierRoot(dataDirOf(cmd), fingerprint);
  if (!removed) throw new NetcredError('INVALID_INPUT', `no trusted verifier root has the fingerprint ${fingerprint}`);
  if (opts.json) {
    printJson({ removed });
    return;
  }
  process.stdout.write(`no longer trusted: ${line(removed)}\n`);
}
