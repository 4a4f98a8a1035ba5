import type { Command } from 'commander';
import { InvalidInputError, NetcredError, rateLimitSetting, type X509ClientIdPrefix } from '../../core/index.js';
import {
  connectRedisState,
  createVerifier,
  createVerifierApp,
  ensureCacheSecret,
  ensureVerifierAdminToken,
  listenApp,
  loadTrustBundle,
  loadVerifierX509,
  memoryState,
  oid4vpRoutesFor,
  type RequestUriMethod,
  type ResponseMode,
  type VerifierState,
  type VerifierX509,
} from '../../verifier/index.js';
import { dataDirOf } from '../context.js';
import { parseSeconds } from '../parse.js';
import { readInput } from '../read-input.js';
import { serverLimitsOf, type ServerLimitOpts } from '../server-limits.run.js';

export type VerifierServeOpts = {
  bundle: string;
  host: string;
  port: string;
  aud?: string;
  maxAge: string;
  maxStatusAge: string;
  rateLimit: string;
  x509Cert?: string;
  x509Key?: string;
  clientId?: string;
  responseMode?: string;
  requestUriMethod?: string;
  cache?: string;
  cachePrefix: string;
} & ServerLimitOpts;

export const CACHE_URL_ENV = 'NETCRED_CACHE_URL';

/**
 * --cache (or $NETCRED_CACHE_URL): nonces, accepted proofs and OpenID4VP requests live in Redis,
 * shared by every verifier process pointed at it; else in this process's memory. A Redis that is
 * not there yet does not stop the start: the verifier answers CACHE_UNAVAILABLE until it is.
 */
async function stateOf(opts: VerifierServeOpts, dataDir: string): Promise<{ state: VerifierState; line?: string }> {
  const url = opts.cache ?? (process.env[CACHE_URL_ENV] || undefined);
  if (url === undefined) return { state: memoryState() };
  const { secret, source, file } = ensureCacheSecret(dataDir);
  const state = await connectRedisState({ url, prefix: opts.cachePrefix, secret });
  const sealing = source === 'env' ? '$NETCRED_CACHE_SECRET' : file;
  return {
    state,
    line: `shared cache ${state.url} (prefix ${state.prefix}, response keys sealed with ${sealing})${state.connected ? '' : ': not reachable yet, answering 503 until it is'}\n`,
  };
}

type Haip = { x509?: VerifierX509; clientIdPrefix?: X509ClientIdPrefix; clientId?: string; responseMode: ResponseMode; requestUriMethod?: RequestUriMethod };

/**
 * HAIP is configuration: with --x509-cert, --x509-key and --client-id the verifier signs its
 * requests as an x509 client, asks for direct_post.jwt and offers request_uri_method=post; the
 * flags --response-mode / --request-uri-method override those defaults. Without them: as before.
 */
async function haipOf(opts: VerifierServeOpts): Promise<Haip> {
  const given = [opts.x509Cert, opts.x509Key, opts.clientId].filter((v) => v !== undefined).length;
  if (given !== 0 && given !== 3) throw new InvalidInputError('--x509-cert, --x509-key and --client-id go together', [{ path: 'x509', message: 'incomplete' }]);
  if (opts.responseMode !== undefined && opts.responseMode !== 'direct_post' && opts.responseMode !== 'direct_post.jwt')
    throw new InvalidInputError('--response-mode must be direct_post or direct_post.jwt');
  if (opts.requestUriMethod !== undefined && opts.requestUriMethod !== 'get' && opts.requestUriMethod !== 'post')
    throw new InvalidInputError('--request-uri-method must be get or post');
  let loaded: ReturnType<typeof loadVerifierX509> | undefined;
  if (given === 3) {
    loaded = loadVerifierX509({
      certPem: await readInput(opts.x509Cert!, 256 * 1024, 'the --x509-cert chain'),
      keyPem: await readInput(opts.x509Key!, 64 * 1024, 'the --x509-key key'),
      clientId: opts.clientId!,
    });
  }
  const responseMode = (opts.responseMode ?? (loaded ? 'direct_post.jwt' : 'direct_post')) as ResponseMode;
  const requestUriMethod = (opts.requestUriMethod ?? (loaded ? 'post' : undefined)) as RequestUriMethod | undefined;
  return {
    ...(loaded ? { x509: loaded.x509, clientIdPrefix: loaded.prefix, clientId: loaded.clientId } : {}),
    responseMode,
    ...(requestUriMethod ? { requestUriMethod } : {}),
  };
}

export async function runVerifierServe(opts: VerifierServeOpts, cmd: Command): Promise<void> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new NetcredError('INVALID_INPUT', '--port must be 0..65535');
  const kbMaxAgeSeconds = parseSeconds(opts.maxAge, '--max-age');
  const maxStatusAgeSeconds = parseSeconds(opts.maxStatusAge, '--max-status-age');
  const rateLimit = rateLimitSetting(opts.rateLimit, '--rate-limit');
  const limits = serverLimitsOf(opts);
  const haip = await haipOf(opts);
  const trust = loadTrustBundle(opts.bundle);
  const { state, line: cacheLine } = await stateOf(opts, dataDirOf(cmd));
  const v = createVerifier({ trust, aud: opts.aud, kbMaxAgeSeconds, maxStatusAgeSeconds, nonceStore: state.nonces, replayCache: state.replay });
  // OpenID4VP routes (admin token in <data>/verifier/admin-token, for `netcred verifier request`).
  let url = '';
  const publicUrl = (): string => process.env.NETCRED_VERIFIER_PUBLIC_URL || url;
  const oid4vp = oid4vpRoutesFor(v, {
    baseUrl: publicUrl,
    adminToken: ensureVerifierAdminToken(dataDirOf(cmd)),
    rateLimit,
    store: state.requests,
    replay: state.responseReplay,
    responseMode: haip.responseMode,
    ...(haip.requestUriMethod ? { requestUriMethod: haip.requestUriMethod } : {}),
    ...(haip.x509 ? { x509: haip.x509, clientIdPrefix: haip.clientIdPrefix } : {}),
  });
  const running = await listenApp(createVerifierApp({ verifier: v, rateLimit, routers: [oid4vp.router], cache: state }), {
    host: opts.host,
    port,
    limits,
  }).catch(async (err: unknown) => {
    await state.close();
    throw err;
  });
  url = running.url;
  // Wallets answer an x509_san_dns client only on its host: a public URL elsewhere would make every request fail.
  if (haip.clientIdPrefix === 'x509_san_dns' && new URL(publicUrl()).hostname.toLowerCase() !== haip.x509!.dnsName) {
    await running.close();
    await state.close();
    throw new NetcredError(
      'VERIFIER_X509_INVALID',
      `the public URL ${publicUrl()} is not on ${haip.x509!.dnsName}: listen with --host ${haip.x509!.dnsName}, or set NETCRED_VERIFIER_PUBLIC_URL=https://${haip.x509!.dnsName}/... behind a reverse proxy`,
    );
  }
  // One write: whoever waits for the listening line reads the cache line with it.
  process.stdout.write(`verifier listening on ${running.url}\n${cacheLine ?? ''}`);
  if (haip.clientId)
    process.stdout.write(
      `OpenID4VP client id ${haip.clientId} (${haip.x509!.name ?? 'no name'}), ${haip.responseMode}${haip.requestUriMethod ? `, request_uri_method=${haip.requestUriMethod}` : ''}\n`,
    );
  // After a `verifier sync`, SIGHUP swaps in the new bundle without dropping nonces or replay state.
  process.on('SIGHUP', () => {
    try {
      v.setTrust(loadTrustBundle(opts.bundle));
      process.stdout.write(`reloaded ${opts.bundle}\n`);
    } catch (err) {
      process.stderr.write(`bundle not reloaded, keeping the previous one: ${(err as Error).message}\n`);
    }
  });
  const stop = () =>
    void running
      .close()
      .then(() => state.close())
      .then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
