import type { Command } from 'commander';
import { NetcredError } from '../../core/errors.js';
import { rateLimitSetting } from '../../core/http/rate-limit.js';
import { createVerifierApp } from '../../verifier/http/app.js';
import { listenApp } from '../../verifier/http/serve.js';
import { ensureVerifierAdminToken, oid4vpRoutesFor } from '../../verifier/oid4vp/index.js';
import { addDidIssuer } from '../../verifier/trust/add.js';
import { loadTrustBundle, readOrCreateTrustBundle, readTrustBundle, writeTrustBundle } from '../../verifier/trust/load.js';
import { syncIssuer } from '../../verifier/trust/sync.js';
import { createVerifier } from '../../verifier/verify.js';
import { dataDirOf, printJson } from '../context.js';
import { parseSeconds } from '../parse.js';
import { serverLimitsOf } from '../server-limits.run.js';
import type { TrustAddOpts, TrustListOpts, VerifierServeOpts, VerifierSyncOpts } from './index.js';

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

export async function runVerifierSync(opts: VerifierSyncOpts): Promise<void> {
  const timeoutMs = parseSeconds(opts.timeout, '--timeout') * 1000;
  const { bundle, report } = await syncIssuer(readOrCreateTrustBundle(opts.bundle), opts.issuer, { vct: opts.vct, timeoutMs });
  writeTrustBundle(opts.bundle, bundle);
  if (opts.json) printJson(report);
  else process.stdout.write(`synced ${report.issuer}: ${report.vct.join(', ')}; ${report.statusLists} status list(s), ${report.bitstringLists} bitstring list(s)\n`);
}

export async function runVerifierServe(opts: VerifierServeOpts, cmd: Command): Promise<void> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new NetcredError('INVALID_INPUT', '--port must be 0..65535');
  const kbMaxAgeSeconds = parseSeconds(opts.maxAge, '--max-age');
  const maxStatusAgeSeconds = parseSeconds(opts.maxStatusAge, '--max-status-age');
  const rateLimit = rateLimitSetting(opts.rateLimit, '--rate-limit');
  const limits = serverLimitsOf(opts);
  const v = createVerifier({ trust: loadTrustBundle(opts.bundle), aud: opts.aud, kbMaxAgeSeconds, maxStatusAgeSeconds });
  // OpenID4VP routes (admin token in <data>/verifier/admin-token, for `netcred verifier request`).
  let url = '';
  const oid4vp = oid4vpRoutesFor(v, { baseUrl: () => process.env.NETCRED_VERIFIER_PUBLIC_URL || url, adminToken: ensureVerifierAdminToken(dataDirOf(cmd)), rateLimit });
  const running = await listenApp(createVerifierApp({ verifier: v, rateLimit, routers: [oid4vp.router] }), { host: opts.host, port, limits });
  url = running.url;
  process.stdout.write(`verifier listening on ${running.url}\n`);
  // After a `verifier sync`, SIGHUP swaps in the new bundle without dropping nonces or replay state.
  process.on('SIGHUP', () => {
    try {
      v.setTrust(loadTrustBundle(opts.bundle));
      process.stdout.write(`reloaded ${opts.bundle}\n`);
    } catch (err) {
      process.stderr.write(`bundle not reloaded, keeping the previous one: ${(err as Error).message}\n`);
    }
  });
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
