import type { Command } from 'commander';
import { NetcredError } from '../core/errors.js';
import { createVerifierApp } from '../verifier/http/app.js';
import { listenApp } from '../verifier/http/serve.js';
import { addDidIssuer } from '../verifier/trust/add.js';
import { loadTrustBundle, readOrCreateTrustBundle, readTrustBundle, writeTrustBundle } from '../verifier/trust/load.js';
import { syncIssuer } from '../verifier/trust/sync.js';
import { createVerifier } from '../verifier/verify.js';
import { dataDirOf, printJson } from './context.js';
import { ensureVerifierAdminToken, oid4vpRoutesFor } from '../verifier/oid4vp/index.js';
import { parseSeconds } from './verify.js';

const collect = (v: string, prev: string[]) => [...prev, v];

/** Usage errors must reach cli/run.ts (exit 2), not commander's own process.exit(1). */
function overrideExit(cmd: Command): void {
  cmd.exitOverride();
  for (const c of cmd.commands) overrideExit(c);
}

export function registerVerifier(program: Command): void {
  const verifier = program.command('verifier').description('offline verifier: trust bundle, sync, HTTP service');

  const trust = verifier.command('trust').description('manage the trust bundle');
  trust
    .command('add')
    .description('trust a did:key or did:jwk issuer (no network)')
    .argument('<did>', 'issuer DID')
    .option('--vct <vct>', 'accepted credential type (repeatable; default the resident identity type)', collect, [])
    .requiredOption('--bundle <file>', 'trust bundle file (created if missing)')
    .option('--json', 'print the entry as JSON')
    .action((did: string, opts: { vct: string[]; bundle: string; json?: boolean }) => {
      const next = addDidIssuer(readOrCreateTrustBundle(opts.bundle), did, opts.vct.length ? opts.vct : undefined);
      writeTrustBundle(opts.bundle, next);
      const entry = next.issuers.find((i) => i.id === did)!;
      if (opts.json) printJson(entry);
      else process.stdout.write(`trusted ${did} for ${entry.vct.join(', ')} in ${opts.bundle}\n`);
    });
  trust
    .command('list')
    .description('show the trusted issuers and cached status lists')
    .requiredOption('--bundle <file>', 'trust bundle file')
    .option('--json', 'JSON output')
    .action((opts: { bundle: string; json?: boolean }) => {
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
    });

  verifier
    .command('sync')
    .description('fetch (online) an issuer DID document, type metadata and every status list into the bundle')
    .requiredOption('--issuer <url>', 'issuer base URL (https, or http://127.0.0.1)')
    .requiredOption('--bundle <file>', 'trust bundle file (created if missing)')
    .option('--vct <vct>', 'accept only this type (repeatable; default every advertised type)', collect, [])
    .option('--timeout <seconds>', 'per-request timeout', '10')
    .option('--json', 'JSON output')
    .action(async (opts: { issuer: string; bundle: string; vct: string[]; timeout: string; json?: boolean }) => {
      const timeoutMs = parseSeconds(opts.timeout, '--timeout') * 1000;
      const { bundle, report } = await syncIssuer(readOrCreateTrustBundle(opts.bundle), opts.issuer, { vct: opts.vct, timeoutMs });
      writeTrustBundle(opts.bundle, bundle);
      if (opts.json) printJson(report);
      else process.stdout.write(`synced ${report.issuer}: ${report.vct.join(', ')}; ${report.statusLists} status list(s), ${report.bitstringLists} bitstring list(s)\n`);
    });

  verifier
    .command('serve')
    .description('serve POST /verify (and /nonce, /health) and the OpenID4VP routes over HTTP')
    .requiredOption('--bundle <file>', 'trust bundle file')
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--port <port>', 'listen port (0: any)', '8090')
    .option('--aud <aud>', "this verifier's identifier (expected KB-JWT aud)")
    .action(async (opts: { bundle: string; host: string; port: string; aud?: string }, cmd: Command) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new NetcredError('INVALID_INPUT', '--port must be 0..65535');
      const v = createVerifier({ trust: loadTrustBundle(opts.bundle), aud: opts.aud });
      // OpenID4VP routes (admin token in <data>/verifier/admin-token, for `netcred verifier request`).
      let url = '';
      const oid4vp = oid4vpRoutesFor(v, { baseUrl: () => process.env.NETCRED_VERIFIER_PUBLIC_URL || url, adminToken: ensureVerifierAdminToken(dataDirOf(cmd)) });
      const running = await listenApp(createVerifierApp({ verifier: v, routers: [oid4vp.router] }), { host: opts.host, port });
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
    });
  overrideExit(verifier);
}
