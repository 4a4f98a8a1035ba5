import { addDidIssuer, addX509Roots, readOrCreateTrustBundle, readTrustBundle, writeTrustBundle } from '../../verifier/index.js';
import { printJson } from '../context.js';
import { readInput } from '../read-input.js';

export type TrustAddOpts = { vct: string[]; bundle: string; json?: boolean };
export type TrustAddCertOpts = TrustAddOpts;
export type TrustListOpts = { bundle: string; json?: boolean };

export function runTrustAdd(did: string, opts: TrustAddOpts): void {
  const next = addDidIssuer(readOrCreateTrustBundle(opts.bundle), did, opts.vct.length ? opts.vct : undefined);
  writeTrustBundle(opts.bundle, next);
  const entry = next.issuers.find((i) => i.id === did)!;
  if (opts.json) printJson(entry);
  else process.stdout.write(`trusted ${did} for ${entry.vct.join(', ')} in ${opts.bundle}\n`);
}

/** A root PEM is a few KiB. */
const MAX_ROOT_PEM_BYTES = 256 * 1024;

export async function runTrustAddCert(source: string, opts: TrustAddCertOpts): Promise<void> {
  const pem = await readInput(source, MAX_ROOT_PEM_BYTES, 'root certificate PEM');
  const { bundle, added } = addX509Roots(readOrCreateTrustBundle(opts.bundle), pem, opts.vct.length ? opts.vct : undefined);
  writeTrustBundle(opts.bundle, bundle);
  if (opts.json) printJson(added.map(({ pem: _pem, ...entry }) => entry));
  else for (const r of added) process.stdout.write(`trusted X.509 root ${r.subject} (SHA-256 ${r.sha256}) for ${r.vct.join(', ')} in ${opts.bundle}\n`);
}

export function runTrustList(opts: TrustListOpts): void {
  const b = readTrustBundle(opts.bundle);
  const summary = {
    updatedAt: b.updatedAt,
    issuers: b.issuers.map((i) => ({ id: i.id, vct: i.vct, source: i.source })),
    statusLists: b.statusLists.map((s) => ({ uri: s.uri, kind: s.kind, issuer: s.issuer, fetchedAt: s.fetchedAt })),
    typeMetadata: b.typeMetadata.map((t) => t.vct),
    x509Roots: (b.x509Roots ?? []).map((r) => ({ subject: r.subject, sha256: r.sha256, vct: r.vct })),
  };
  if (opts.json) printJson(summary);
  else {
    process.stdout.write(`trust bundle ${opts.bundle} (updated ${b.updatedAt})\n`);
    for (const i of summary.issuers) process.stdout.write(`  issuer ${i.id}: ${i.vct.join(', ')}\n`);
    for (const r of summary.x509Roots) process.stdout.write(`  X.509 root ${r.subject} (SHA-256 ${r.sha256}): ${r.vct.join(', ')}\n`);
    for (const s of summary.statusLists) process.stdout.write(`  list ${s.uri} (${s.kind}, fetched ${s.fetchedAt})\n`);
  }
}
