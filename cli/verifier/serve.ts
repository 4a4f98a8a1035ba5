import type { Command } from 'commander';
import { addServerLimitOptions } from '../server-limits.js';
import type { VerifierServeOpts } from './serve.run.js';

/** `netcred verifier serve`: the verifier's HTTP app over a trust bundle. */
export function registerVerifierServe(verifier: Command): void {
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
    .action(async (opts: VerifierServeOpts, cmd: Command) => (await import('./serve.run.js')).runVerifierServe(opts, cmd));
  addServerLimitOptions(serve);
}
