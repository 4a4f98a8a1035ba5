import { addDidIssuer } from '../../verifier/trust/add.js';
import { readOrCreateTrustBundle, readTrustBundle, writeTrustBundle } from '../../verifier/trust/load.js';
import { printJson } from '../context.js';

export type TrustAddOpts = { vct: string[]; bundle: string; json?: boolean };
export type TrustListOpts = { bundle: string; json?: boolean };

export function runTrustAdd(did: string, opts: TrustAddOpts): void {
  const next = addDidIssuer(readOrCreateTrustBundle(opts.bundle), did, opts.vct.length ? opts.vct : undefined);
  writeTrustBundle(opts.bundle, next);
  const entry = next.issuers.find((i) => i.id === did)!;
  if (opts.json) printJson(entry);
  else process.stdout.write(`trusted ${did} for ${entry.vct.join(', ')} in ${opts.bundle}\n`);
}

export function runTrustList(opts: TrustListOpts): void {
  const b = readTrustBundle(opts.bundle);
  const summary = {
    updatedAt: b.updatedAt,
    issuers: b.issuers.map((i) => ({ id: i.id, vct: i.vct, source: i.source })),
    statusLists: b.statusLists.map((s) => ({ uri: s.uri, kind: s.kind, issuer: s.issuer, fetchedAt: s.fetchedAt })),
    typeMetadata: b.typeMetadata.map((t) => t.vct),
  };
  if (opts.json) printJson(summary);
  else {
    process.stdout.write(`trust bundle ${opts.bundle} (updated ${b.updatedAt})\n`);
    for (const i of summary.issuers) process.stdout.write(`  issuer ${i.id}: ${i.vct.join(', ')}\n`);
    for (const s of summary.statusLists) process.stdout.write(`  list ${s.uri} (${s.kind}, fetched ${s.fetchedAt})\n`);
  }
}
