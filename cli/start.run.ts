import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { issuerPaths } from '../issuer/config.js';
import type { IssuerContext } from '../issuer/context.js';
import { didDocumentPath } from '../issuer/http/did-document.js';
import { initIssuer, openIssuer } from '../issuer/open.js';
import { dataDirOf } from './context.js';
import { secretLocations, serveUntilSignal } from './issuer/serve.js';
import { parsePort } from './parse.js';
import { serverLimitsOf, type ServerLimitOpts } from './server-limits.run.js';
import { startLocalVerifier, type LocalVerifier } from './verifier/local.js';

/** Opens the issuer in the data dir, creating it on first run (public URL: $NETCRED_PUBLIC_URL or the local address). */
async function openOrInitIssuer(dataDir: string, host: string, port: number): Promise<{ ctx: IssuerContext; created: boolean }> {
  if (existsSync(issuerPaths(dataDir).config)) return { ctx: await openIssuer({ dataDir }), created: false };
  const publicUrl = process.env.NETCRED_PUBLIC_URL || `http://${host}:${port}`;
  return { ctx: await initIssuer({ dataDir, publicUrl }), created: true };
}

export async function runStart(cmd: Command): Promise<void> {
  const dataDir = dataDirOf(cmd);
  const host = '127.0.0.1';
  const port = parsePort(process.env.PORT || '8080');
  const verifierPort = parsePort(process.env.VERIFIER_PORT || String(port === 0 ? 0 : port + 1));
  const limits = serverLimitsOf(cmd.opts<ServerLimitOpts>());
  const { ctx, created } = await openOrInitIssuer(dataDir, host, port);
  let verifier: Promise<LocalVerifier | undefined> | undefined;
  const where = secretLocations(ctx);
  const out = (s: string) => process.stdout.write(`${s}\n`);
  if (created) {
    out(`Created an issuer in ${dataDir}`);
    out(`  secret key: ${where.secret} (back it up; without it the issuer keys cannot be opened)`);
    out(`  admin token: ${where.adminToken}`);
  }
  await serveUntilSignal(ctx, { host, port, limits }, (running) => {
    out(`netcred issuer ${ctx.issuerDid}`);
    out(`  listening on   ${running.url}`);
    out(`  health         ${running.url}/health`);
    out(`  DID document   ${running.url}${didDocumentPath(ctx)}`);
    out(`  discovery      ${ctx.config.publicUrl}/.well-known/netcred-issuer`);
    out('');
    out('What to try next (in another terminal):');
    out('  npx netcred issuer show');
    out('  npx netcred issuer issue --holder <holder DID> --claims claims.json');
    out('  npx netcred decode credential.txt');
    out('Stop with Ctrl-C.');
    verifier = startLocalVerifier({ dataDir, host, port: verifierPort, issuerUrl: running.url, limits }).then(
      (v) => {
        out('');
        for (const line of v.lines) out(line);
        out('  try:           npx netcred verifier request --profile lite --url ' + v.url);
        out("                 npx netcred wallet respond '<the openid4vp:// URI it prints>'");
        return v;
      },
      (err: Error) => {
        process.stderr.write(`netcred: the verifier app did not start: ${err.message}\n`);
        return undefined;
      },
    );
  });
  await (await verifier)?.close();
}
