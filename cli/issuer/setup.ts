import type { Command } from 'commander';
import { addServerLimitOptions } from '../server-limits.js';
import { addOAuthOptions } from './oauth.js';
import type { IssuerInitOpts, IssuerShowOpts, IssuerSettingsOpts, IssuerServeOpts } from './setup.run.js';

/** The issuer (Veramo, TypeORM, express) loads only when one of these commands runs. */
const impl = () => import('./setup.run.js');

export function registerIssuerSetup(issuer: Command): void {
  const init = issuer
    .command('init')
    .description('create the issuer: data dir, secret, store (SQLite, or PostgreSQL with --store) and issuer DID')
    .option('--did-method <method>', 'key or web', 'key')
    .option('--alg <alg>', 'EdDSA or ES256', 'EdDSA')
    .option('--public-url <url>', 'public base URL (did:web, status lists)', undefined)
    .option('--issuer-id <kind>', 'iss of the credentials: did (default), or url (the public URL, with JWT VC Issuer Metadata)')
    .option('--x509', 'also create a development CA and a certificate for the issuer key (x5c; implies --issuer-id url)')
    .option('--credential-ttl <seconds>', 'credential lifetime (default 31536000: 365 days)')
    .option('--status-ttl <seconds>', 'ttl of published status lists: how long a verifier reuses one (default 300)')
    .option('--status-validity <seconds>', 'validity of published status lists; a kiosk works offline at least half of it (default 86400)')
    .option(
      '--store <url>',
      'keep the issuer state in this PostgreSQL database (postgres://user@host:5432/db; default: SQLite in the data dir; env NETCRED_STORE_URL); recorded in config.json',
    )
    .option('--json', 'print JSON')
    .action(async (opts: IssuerInitOpts, cmd: Command) => (await impl()).runIssuerInit(opts, cmd));
  addOAuthOptions(init, false);

  issuer
    .command('show')
    .description('print the issuer DID, identifier, public URL, certificate and data dir')
    .option('--json', 'print JSON')
    .option('--show-admin-token', 'include the admin token')
    .action(async (opts: IssuerShowOpts, cmd: Command) => (await impl()).runIssuerShow(opts, cmd));

  const settings = issuer
    .command('settings')
    .description('print the issuer timing, or change it or its OAuth policy (config.json; a running issuer applies it at its next start)')
    .option('--credential-ttl <seconds>', 'credential lifetime')
    .option('--status-ttl <seconds>', 'ttl of published status lists')
    .option('--status-validity <seconds>', 'validity of published status lists')
    .option('--json', 'print JSON')
    .action(async (opts: IssuerSettingsOpts, cmd: Command) => (await impl()).runIssuerSettings(opts, cmd));
  addOAuthOptions(settings, true);

  const serve = issuer
    .command('serve')
    .description('run the issuer HTTP service (health, DID document, discovery, status lists)')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0: any free port)', '8080')
    .option(
      '--public-url <url>',
      'set the public URL wallets and verifiers reach it at (saved in config.json; refused once credentials name status lists under the old one)',
    )
    .option('--strict-url', 'refuse to serve (PUBLIC_URL_MISMATCH) on a port a loopback public URL does not name, instead of a warning')
    .option('--rate-limit <n>', 'OpenID4VCI token and nonce requests a minute per client IP, on each (0: no limit)', '600')
    .option('--store <url>', 'the PostgreSQL database to use instead of the one config.json records (env NETCRED_STORE_URL)')
    .option(
      '--cache <url>',
      'share OpenID4VCI codes, tokens, nonces and DPoP jtis with every issuer node on this Redis (redis://host:port[/db]; default $NETCRED_CACHE_URL; none: the store)',
    )
    .option('--cache-prefix <prefix>', 'prefix of every Redis key (issuer groups sharing one Redis keep apart by it)', 'netcred:issuer:')
    .option('--workers <n>', 'serve from N processes on this machine (node:cluster; a worker that dies is logged, not restarted)', '1')
    .option('--json', 'print the URL as JSON')
    .action(async (opts: IssuerServeOpts, cmd: Command) => (await impl()).runIssuerServe(opts, cmd));
  addServerLimitOptions(serve);
}
