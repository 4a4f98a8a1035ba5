import type { Command } from 'commander';
import { addServerLimitOptions, type ServerLimitOpts } from '../server-limits.js';
import { registerVerifierRequest } from './request.js';

const collect = (v: string, prev: string[]) => [...prev, v];

/** Usage errors must reach cli/run.ts (exit 2), not commander's own process.exit(1). */
function overrideExit(cmd: Command): void {
  cmd.exitOverride();
  for (const c of cmd.commands) overrideExit(c);
}

export type TrustAddOpts = { vct: string[]; bundle: string; json?: boolean };
export type TrustListOpts = { bundle: string; json?: boolean };
export type VerifierSyncOpts = { issuer: string; bundle: string; vct: string[]; timeout: string; json?: boolean };
export type VerifierServeOpts = { bundle: string; host: string; port: string; aud?: string; maxAge: string; maxStatusAge: string; rateLimit: string } & ServerLimitOpts;

/** The verifier code loads only when one of these commands runs (index.run.ts). */
const impl = () => import('./index.run.js');

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
    .action(async (did: string, opts: TrustAddOpts) => (await impl()).runTrustAdd(did, opts));
  trust
    .command('list')
    .description('show the trusted issuers and cached status lists')
    .requiredOption('--bundle <file>', 'trust bundle file')
    .option('--json', 'JSON output')
    .action(async (opts: TrustListOpts) => (await impl()).runTrustList(opts));

  verifier
    .command('sync')
    .description('fetch (online) an issuer DID document, type metadata and every status list into the bundle')
    .requiredOption('--issuer <url>', 'issuer base URL (https, or http://127.0.0.1)')
    .requiredOption('--bundle <file>', 'trust bundle file (created if missing)')
    .option('--vct <vct>', 'accept only this type (repeatable; default every advertised type)', collect, [])
    .option('--timeout <seconds>', 'per-request timeout', '10')
    .option('--json', 'JSON output')
    .action(async (opts: VerifierSyncOpts) => (await impl()).runVerifierSync(opts));

  const serve = verifier
    .command('serve')
    .description('serve POST /verify (and /nonce, /health) and the OpenID4VP routes over HTTP')
    .requiredOption('--bundle <file>', 'trust bundle file')
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--port <port>', 'listen port (0: any)', '8090')
    .option('--aud <aud>', "this verifier's identifier (expected KB-JWT aud)")
    .option('--max-age <seconds>', 'oldest key-binding proof accepted', '300')
    .option('--max-status-age <seconds>', 'use a status list offline up to this long after it was fetched (never past its exp)', String(7 * 24 * 3600))
    .option('--rate-limit <n>', 'POST /nonce and OpenID4VP request creations a minute per client IP, on each (0: no limit)', '600')
    .action(async (opts: VerifierServeOpts, cmd: Command) => (await impl()).runVerifierServe(opts, cmd));
  addServerLimitOptions(serve);
  registerVerifierRequest(verifier);
  overrideExit(verifier);
}
