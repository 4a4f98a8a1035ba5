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
    .option('--x509-cert <pem>', 'HAIP: the verifier certificate chain, leaf first (OpenID4VP requests signed with x5c)')
    .option('--x509-key <pem>', 'HAIP: the private key of the leaf certificate')
    .option('--client-id <id>', 'HAIP: x509_san_dns:<host> (the leaf names <host>, the public URL is on it) or x509_hash')
    .option('--response-mode <mode>', 'direct_post or direct_post.jwt (default: direct_post.jwt with --x509-cert, else direct_post)')
    .option('--request-uri-method <method>', 'get or post (default: post with --x509-cert, else plain request_uri)')
    .option(
      '--cache <url>',
      'share nonces, replay memory and OpenID4VP requests with every verifier on this Redis (redis://host:port[/db]; default $NETCRED_CACHE_URL; none: in memory)',
    )
    .option('--cache-prefix <prefix>', 'prefix of every Redis key (verifier groups sharing one Redis keep apart by it)', 'netcred:verifier:')
    .action(async (opts: VerifierServeOpts, cmd: Command) => (await import('./serve.run.js')).runVerifierServe(opts, cmd));
  addServerLimitOptions(serve);
}
