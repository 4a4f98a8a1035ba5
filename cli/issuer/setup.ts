import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import { issuerPaths, parseAlg, parseDidMethod } from '../../issuer/config.js';
import type { IssuerContext } from '../../issuer/context.js';
import { didDocumentPath } from '../../issuer/http/did-document.js';
import { serveIssuer, type RunningServer } from '../../issuer/http/serve.js';
import { initIssuer, openIssuer } from '../../issuer/open.js';
import { dataDirOf, printJson } from '../context.js';

export function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new InvalidInputError(`port must be an integer 0-65535, got ${JSON.stringify(value)}`, [{ path: 'port', message: 'not a port' }]);
  return Number(value);
}

/** Where the secret and the admin token of an issuer live (never the values themselves). */
export function secretLocations(ctx: IssuerContext): { secret: string; adminToken: string } {
  const paths = issuerPaths(ctx.config.dataDir);
  const external = process.env.NETCRED_SECRET ? 'NETCRED_SECRET (environment)' : undefined;
  return {
    secret: external ?? paths.keyFile,
    adminToken: process.env.NETCRED_ADMIN_TOKEN ? 'NETCRED_ADMIN_TOKEN (environment)' : `${paths.config} ("adminToken")`,
  };
}

/** Serves until SIGINT/SIGTERM, then closes the server and the data source. */
export async function serveUntilSignal(ctx: IssuerContext, options: { host: string; port: number }, onListening: (running: RunningServer) => void): Promise<void> {
  let running: RunningServer;
  try {
    running = await serveIssuer(ctx, options);
  } catch (err) {
    await ctx.close();
    throw err;
  }
  onListening(running);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      // Requests in flight get a few seconds; then every socket is dropped.
      const force = setTimeout(() => running.server.closeAllConnections(), 5000);
      force.unref();
      void running
        .close()
        .then(() => ctx.close())
        .finally(() => {
          clearTimeout(force);
          resolve();
        });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stderr.write('netcred: issuer stopped\n');
}

export function registerIssuerSetup(issuer: Command): void {
  issuer
    .command('init')
    .description('create the issuer: data dir, secret, SQLite store and issuer DID')
    .option('--did-method <method>', 'key or web', 'key')
    .option('--alg <alg>', 'EdDSA or ES256', 'EdDSA')
    .option('--public-url <url>', 'public base URL (did:web, status lists)', undefined)
    .option('--json', 'print JSON')
    .action(async (opts: { didMethod: string; alg: string; publicUrl?: string; json?: boolean }, cmd: Command) => {
      const dataDir = dataDirOf(cmd);
      const ctx = await initIssuer({ dataDir, didMethod: parseDidMethod(opts.didMethod), alg: parseAlg(opts.alg), publicUrl: opts.publicUrl });
      try {
        const where = secretLocations(ctx);
        if (ctx.config.didMethod === 'web' && !ctx.config.publicUrl.startsWith('https://')) {
          process.stderr.write(`warning: did:web resolvers fetch https://; ${ctx.config.publicUrl} only works for local tests\n`);
        }
        if (opts.json) {
          printJson({ did: ctx.issuerDid, dataDir, publicUrl: ctx.config.publicUrl, alg: ctx.config.alg, secret: where.secret, adminToken: where.adminToken });
        } else {
          process.stdout.write(`${ctx.issuerDid}\n`);
          process.stderr.write(`issuer created in ${dataDir}\n  secret: ${where.secret} (back it up: without it the issuer keys cannot be opened)\n  admin token: ${where.adminToken}\n`);
        }
      } finally {
        await ctx.close();
      }
    });

  issuer
    .command('show')
    .description('print the issuer DID, public URL and data dir')
    .option('--json', 'print JSON')
    .option('--show-admin-token', 'include the admin token')
    .action(async (opts: { json?: boolean; showAdminToken?: boolean }, cmd: Command) => {
      const dataDir = dataDirOf(cmd);
      const ctx = await openIssuer({ dataDir });
      try {
        const where = secretLocations(ctx);
        const info = {
          did: ctx.issuerDid,
          kid: ctx.signer.kid,
          alg: ctx.config.alg,
          didMethod: ctx.config.didMethod,
          publicUrl: ctx.config.publicUrl,
          didDocumentPath: didDocumentPath(ctx),
          dataDir,
          secret: where.secret,
          ...(opts.showAdminToken ? { adminToken: ctx.config.adminToken } : { adminTokenLocation: where.adminToken }),
        };
        if (opts.json) printJson(info);
        else for (const [k, v] of Object.entries(info)) process.stdout.write(`${k}: ${v}\n`);
      } finally {
        await ctx.close();
      }
    });

  issuer
    .command('serve')
    .description('run the issuer HTTP service (health, DID document, discovery, status lists)')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0: any free port)', '8080')
    .option('--json', 'print the URL as JSON')
    .action(async (opts: { host: string; port: string; json?: boolean }, cmd: Command) => {
      const port = parsePort(opts.port);
      const ctx = await openIssuer({ dataDir: dataDirOf(cmd) });
      await serveUntilSignal(ctx, { host: opts.host, port }, (running) => {
        if (opts.json) process.stdout.write(`${JSON.stringify({ url: running.url, did: ctx.issuerDid })}\n`);
        else process.stdout.write(`netcred issuer listening on ${running.url} (${ctx.issuerDid})\n`);
      });
    });
}
