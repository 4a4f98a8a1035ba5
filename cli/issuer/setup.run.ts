import type { Command } from 'commander';
import { NetcredError, rateLimitSetting } from '../../core/index.js';
import {
  certificateSummary,
  didDocumentPath,
  initIssuer,
  issuerCertificateChain,
  openIssuer,
  parseAlg,
  parseDidMethod,
  parseIssuerIdKind,
  publicUrlLock,
  publicUrlPortMismatch,
  setPublicUrl,
  updateIssuerTiming,
  updateOAuthPolicy,
  useWorkerWriteGate,
  withPort,
} from '../../issuer/index.js';
import { serverLimitsOf, type ServerLimitOpts } from '../server-limits.run.js';
import { oauthChanges, oauthSummary, type OAuthOpts } from './oauth.run.js';
import { dataDirOf, printJson } from '../context.js';
import { parsePort, parseSeconds } from '../parse.js';
import cluster from 'node:cluster';
import { attachIssuerCache } from './cache.run.js';
import { parseWorkers, perWorkerRateLimit, runIssuerPrimary } from './workers.run.js';
import { secretLocations, serveUntilSignal } from './serve.js';

export type IssuerInitOpts = {
  didMethod: string;
  alg: string;
  publicUrl?: string;
  issuerId?: string;
  x509?: boolean;
  credentialTtl?: string;
  statusTtl?: string;
  statusValidity?: string;
  store?: string;
  json?: boolean;
} & OAuthOpts;
export type IssuerShowOpts = { json?: boolean; showAdminToken?: boolean };
export type IssuerSettingsOpts = { credentialTtl?: string; statusTtl?: string; statusValidity?: string; json?: boolean } & OAuthOpts;
export type IssuerServeOpts = {
  host: string;
  port: string;
  publicUrl?: string;
  strictUrl?: boolean;
  rateLimit: string;
  store?: string;
  cache?: string;
  cachePrefix?: string;
  workers?: string;
  json?: boolean;
} & ServerLimitOpts;

/** The timing options of init and settings, in seconds (undefined when not given). */
function timingOptions(opts: { credentialTtl?: string; statusTtl?: string; statusValidity?: string }) {
  const seconds = (v: string | undefined, what: string) => (v === undefined ? undefined : parseSeconds(v, what));
  return {
    credentialTtlSeconds: seconds(opts.credentialTtl, '--credential-ttl'),
    statusTtlSeconds: seconds(opts.statusTtl, '--status-ttl'),
    statusValiditySeconds: seconds(opts.statusValidity, '--status-validity'),
  };
}

export async function runIssuerInit(opts: IssuerInitOpts, cmd: Command): Promise<void> {
  const dataDir = dataDirOf(cmd);
  const ctx = await initIssuer({
    dataDir,
    didMethod: parseDidMethod(opts.didMethod),
    alg: parseAlg(opts.alg),
    publicUrl: opts.publicUrl,
    issuerId: opts.issuerId === undefined ? undefined : parseIssuerIdKind(opts.issuerId),
    x509: opts.x509 === true,
    ...(opts.store !== undefined ? { store: opts.store } : {}),
    ...timingOptions(opts),
    ...oauthInit(opts),
  });
  try {
    const where = secretLocations(ctx);
    if (ctx.config.didMethod === 'web' && !ctx.config.publicUrl.startsWith('https://')) {
      process.stderr.write(`warning: did:web resolvers fetch https://; ${ctx.config.publicUrl} only works for local tests\n`);
    }
    const chain = issuerCertificateChain(ctx);
    if (chain)
      process.stderr.write(
        `X.509: a development CA signed the issuer certificate; its private key is not kept. Verifiers trust the root printed by \`netcred issuer cert --show\`.\n`,
      );
    if (opts.json) {
      printJson({
        did: ctx.issuerDid,
        issuerId: ctx.issuerId,
        dataDir,
        publicUrl: ctx.config.publicUrl,
        alg: ctx.config.alg,
        secret: where.secret,
        adminToken: where.adminToken,
        ...(chain ? { certificate: certificateSummary(chain) } : {}),
      });
    } else {
      process.stdout.write(`${ctx.issuerDid}\n`);
      process.stderr.write(
        `issuer created in ${dataDir}\n  secret: ${where.secret} (back it up: without it the issuer keys cannot be opened)\n  admin token: ${where.adminToken}\n`,
      );
    }
  } finally {
    await ctx.close();
  }
}

export async function runIssuerShow(opts: IssuerShowOpts, cmd: Command): Promise<void> {
  const dataDir = dataDirOf(cmd);
  const ctx = await openIssuer({ dataDir });
  try {
    const where = secretLocations(ctx);
    const chain = issuerCertificateChain(ctx);
    const info = {
      did: ctx.issuerDid,
      issuerId: ctx.issuerId,
      issuerIdKind: ctx.config.issuerIdKind,
      kid: ctx.signer.kid,
      publicJwk: ctx.issuerJwk,
      alg: ctx.config.alg,
      didMethod: ctx.config.didMethod,
      publicUrl: ctx.config.publicUrl,
      didDocumentPath: didDocumentPath(ctx),
      credentialTtlSeconds: ctx.config.credentialTtlSeconds,
      statusTtlSeconds: ctx.config.statusTtlSeconds,
      statusValiditySeconds: ctx.config.statusValiditySeconds,
      oauth: oauthSummary(ctx.config.oauth),
      dataDir,
      secret: where.secret,
      ...(opts.showAdminToken ? { adminToken: ctx.config.adminToken } : { adminTokenLocation: where.adminToken }),
      ...(chain ? { certificate: certificateSummary(chain) } : {}),
    };
    if (opts.json) printJson(info);
    else for (const [k, v] of Object.entries(info)) process.stdout.write(`${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}\n`);
  } finally {
    await ctx.close();
  }
}

/** init's OAuth policy, only when an option asks for one (config.json then records it). */
function oauthInit(opts: OAuthOpts): { oauth?: ReturnType<typeof oauthChanges> } {
  const oauth = oauthChanges(opts);
  return Object.keys(oauth).length ? { oauth } : {};
}

export function runIssuerSettings(opts: IssuerSettingsOpts, cmd: Command): void {
  const changes = timingOptions(opts);
  const oauth = oauthChanges(opts);
  const dataDir = dataDirOf(cmd);
  // Both checked before either is written: a refused OAuth change leaves the timing as it was, and the reverse.
  const timing = updateIssuerTiming(dataDir, changes, { dryRun: true });
  const policy = Object.keys(oauth).length ? updateOAuthPolicy(dataDir, oauth) : undefined;
  updateIssuerTiming(dataDir, changes);
  // The OAuth policy is printed when it was asked for (issuer show prints it always).
  const shown = policy ? { ...timing, oauth: oauthSummary(policy) } : timing;
  if (opts.json) printJson(shown);
  else for (const [k, v] of Object.entries(shown)) process.stdout.write(`${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}\n`);
  if (Object.values(changes).some((v) => v !== undefined) || policy)
    process.stderr.write('saved; a running `netcred issuer serve` applies it when restarted\n');
}

export async function runIssuerServe(opts: IssuerServeOpts, cmd: Command): Promise<void> {
  const port = parsePort(opts.port);
  const workers = parseWorkers(opts.workers);
  // Each worker counts its own clients: with round-robin scheduling it sees about 1/N of each one's requests.
  const rateLimit = perWorkerRateLimit(rateLimitSetting(opts.rateLimit, '--rate-limit'), workers);
  const limits = serverLimitsOf(opts);
  if (workers > 1 && cluster.isPrimary) return runIssuerPrimary(opts, cmd, workers);
  if (cluster.isWorker) useWorkerWriteGate();
  const ctx = await openIssuer({ dataDir: dataDirOf(cmd), ...(opts.store !== undefined ? { store: opts.store } : {}) });
  if (opts.publicUrl !== undefined) {
    try {
      const change = await setPublicUrl(ctx, opts.publicUrl);
      if (change.changed) process.stderr.write(`public URL: ${change.publicUrl} (was ${change.previous})\n`);
    } catch (err) {
      await ctx.close();
      throw err;
    }
  }
  let cacheLine: string | undefined;
  try {
    cacheLine = await attachIssuerCache(ctx, opts);
  } catch (err) {
    await ctx.close();
    throw err;
  }
  await serveUntilSignal(ctx, { host: opts.host, port, rateLimit, limits, workerHeader: workers > 1 }, async (running) => {
    const mismatch = publicUrlPortMismatch(ctx.config.publicUrl, Number(new URL(running.url).port));
    // With --workers, the first worker speaks for all.
    if (mismatch && (!cluster.isWorker || cluster.worker?.id === 1)) {
      const what = `the public URL ${mismatch.publicUrl} names port ${mismatch.urlPort} but this issuer listens on port ${mismatch.listenPort}`;
      const there = withPort(mismatch.publicUrl, mismatch.listenPort);
      const locked = await publicUrlLock(ctx, there);
      const fix = locked
        ? `serve with --port ${mismatch.urlPort}: the URL cannot change, ${locked}`
        : `serve with --port ${mismatch.urlPort}, or set --public-url ${there}`;
      if (opts.strictUrl) throw new NetcredError('PUBLIC_URL_MISMATCH', `${what}: wallets and verifiers following its links would miss it; ${fix}`);
      process.stderr.write(`warning: ${what}: wallets and verifiers following its links will miss it (${fix}; --strict-url refuses)\n`);
    }
    if (cluster.isWorker) {
      // The primary prints the listening line once every worker listens.
      process.send?.({ netcredIssuerListening: { url: running.url, did: ctx.issuerDid, publicUrl: ctx.config.publicUrl, cache: cacheLine } });
      return;
    }
    if (opts.json) process.stdout.write(`${JSON.stringify({ url: running.url, did: ctx.issuerDid, publicUrl: ctx.config.publicUrl })}\n`);
    else process.stdout.write(`netcred issuer listening on ${running.url} (${ctx.issuerDid})\n`);
    if (cacheLine) process.stderr.write(`${cacheLine}\n`);
  });
  // A worker's channel to the primary would keep it alive once stopped.
  if (cluster.isWorker) process.disconnect();
}
