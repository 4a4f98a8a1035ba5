import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Command } from 'commander';
import { NetcredError } from '../core/index.js';
import {
  didDocumentPath,
  initIssuer,
  issuerPaths,
  openIssuer,
  publicUrlFollowsPort,
  publicUrlLock,
  publicUrlPortMismatch,
  setPublicUrl,
  withPort,
  type IssuerContext,
} from '../issuer/index.js';
import { dataDirOf } from './context.js';
import { secretLocations, serveUntilSignal } from './issuer/serve.js';
import { parsePort } from './parse.js';
import { serverLimitsOf, type ServerLimitOpts } from './server-limits.run.js';
import { startLocalVerifier, type LocalVerifier } from './verifier/local.js';

/** A free port of `host` now: `PORT=0` still gets a public URL that names the port it serves on. */
function freePortOf(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Opens the issuer in the data dir, creating it on first run (public URL: $NETCRED_PUBLIC_URL, else the local address, which then follows $PORT). */
async function openOrInitIssuer(dataDir: string, host: string, port: number): Promise<{ ctx: IssuerContext; created: boolean }> {
  if (existsSync(issuerPaths(dataDir).config)) return { ctx: await openIssuer({ dataDir }), created: false };
  const given = process.env.NETCRED_PUBLIC_URL;
  const publicUrl = given || `http://${host}:${port}`;
  return { ctx: await initIssuer({ dataDir, publicUrl, publicUrlFollowsPort: !given }), created: true };
}

/**
 * The issuer must serve where its public URL says (discovery, type metadata and status lists name
 * it; the verifier app syncs through them). A URL `netcred start` made from its own address moves
 * to the new $PORT while no credential names it; otherwise PUBLIC_URL_MISMATCH says what to do.
 * Returns the line to print when the URL moved.
 */
async function reconcilePublicUrl(ctx: IssuerContext, dataDir: string, port: number): Promise<string | undefined> {
  const mismatch = publicUrlPortMismatch(ctx.config.publicUrl, port);
  if (!mismatch) return undefined;
  const there = withPort(mismatch.publicUrl, port);
  const what = `the issuer in ${dataDir} has the public URL ${mismatch.publicUrl}, but $PORT is ${port}`;
  const todo = `start it on its own port (PORT=${mismatch.urlPort} npm start), or start a new issuer on ${port} from another data dir (NETCRED_HOME=DIR npm start)`;
  if (!publicUrlFollowsPort(dataDir)) {
    const locked = await publicUrlLock(ctx, there);
    const move = locked ? '' : `, or move it for good (netcred issuer serve --port ${port} --public-url ${there}, then Ctrl-C)`;
    throw new NetcredError('PUBLIC_URL_MISMATCH', `${what} (it was chosen at init, not by npm start): ${todo}${move}`);
  }
  try {
    const change = await setPublicUrl(ctx, there, { followsPort: true });
    return `  public URL     ${change.publicUrl} (was ${change.previous}: it follows $PORT)`;
  } catch (err) {
    if (err instanceof NetcredError && err.code === 'PUBLIC_URL_LOCKED') {
      throw new NetcredError(
        'PUBLIC_URL_MISMATCH',
        `${what}, and the URL cannot follow: ${err.details?.[0]?.message ?? err.message}. ${todo[0]!.toUpperCase()}${todo.slice(1)}`,
        { cause: err },
      );
    }
    throw err;
  }
}

/** The environment variable that chooses each server's port (a name, not an error code). */
const PORT_VARIABLE = { issuer: `PORT`, 'verifier app': `VERIFIER_PORT` } as const;

/** A server of `netcred start` that did not start: which variable chooses its port, when that port is taken. */
function startFailure(err: unknown, server: 'issuer' | 'verifier app', port: number): NetcredError {
  const portVar = PORT_VARIABLE[server];
  const stopped = server === 'verifier app' ? '; the issuer was stopped' : '';
  if (!(err instanceof NetcredError))
    return new NetcredError('INTERNAL', `the ${server} did not start: ${err instanceof Error ? err.message : String(err)}${stopped}`, { cause: err });
  if (err.code === 'PORT_IN_USE') {
    return new NetcredError(
      'PORT_IN_USE',
      `the ${server} cannot listen: ${err.message}: set $${portVar} to a free port (${portVar}=${port + 10} npm start)${stopped}`,
      { cause: err },
    );
  }
  return new NetcredError(err.code, `the ${server} did not start: ${err.message}${stopped}`, { details: err.details, cause: err });
}

export async function runStart(cmd: Command): Promise<void> {
  const dataDir = dataDirOf(cmd);
  const host = '127.0.0.1';
  const requested = parsePort(process.env.PORT || '8080');
  const verifierPort = parsePort(process.env.VERIFIER_PORT || String(requested === 0 ? 0 : requested + 1));
  const port = requested === 0 ? await freePortOf(host) : requested;
  const limits = serverLimitsOf(cmd.opts<ServerLimitOpts>());
  const { ctx, created } = await openOrInitIssuer(dataDir, host, port);
  let moved: string | undefined;
  try {
    moved = await reconcilePublicUrl(ctx, dataDir, port);
  } catch (err) {
    await ctx.close();
    throw err;
  }
  let verifier: LocalVerifier | undefined;
  let listening = false;
  const where = secretLocations(ctx);
  const out = (s: string) => process.stdout.write(`${s}\n`);
  if (created) {
    out(`Created an issuer in ${dataDir}`);
    out(`  secret key: ${where.secret} (back it up; without it the issuer keys cannot be opened)`);
    out(`  admin token: ${where.adminToken}`);
  }
  try {
    await serveUntilSignal(ctx, { host, port, limits }, async (running) => {
      listening = true;
      out(`netcred issuer ${ctx.issuerDid}`);
      out(`  listening on   ${running.url}`);
      if (moved) out(moved);
      out(`  health         ${running.url}/health`);
      out(`  DID document   ${running.url}${didDocumentPath(ctx)}`);
      out(`  discovery      ${ctx.config.publicUrl}/.well-known/netcred-issuer`);
      out(
        `  console        ${ctx.config.publicUrl.replace(/\/+$/, '')}/console/  (enrollment; sign in with the admin token: npx netcred issuer show --show-admin-token)`,
      );
      out('');
      out('What to try next (in another terminal):');
      out('  npx netcred issuer show');
      out('  npx netcred issuer issue --holder <holder DID> --claims docs/examples/claims.json');
      out('  npx netcred decode credential.txt');
      out('  npx netcred wallet ui      (the wallet page, on 127.0.0.1 only: open the URL it prints; npx netcred wallet init first)');
      out('Stop with Ctrl-C.');
      try {
        verifier = await startLocalVerifier({ dataDir, host, port: verifierPort, issuerUrl: running.url, limits });
      } catch (err) {
        throw startFailure(err, 'verifier app', verifierPort);
      }
      out('');
      for (const line of verifier.lines) out(line);
      out(`  try:           npx netcred verifier request --profile lite --url ${verifier.url}`);
      out("                 npx netcred wallet respond '<the openid4vp:// URI it prints>'");
    });
  } catch (err) {
    throw listening ? err : startFailure(err, 'issuer', port);
  }
  await verifier?.close();
}
