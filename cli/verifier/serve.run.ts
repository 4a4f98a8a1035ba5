import type { Command } from 'commander';
import { NetcredError } from '../../core/errors.js';
import { rateLimitSetting } from '../../core/http/rate-limit.js';
import { createVerifierApp } from '../../verifier/http/app.js';
import { listenApp } from '../../verifier/http/serve.js';
import { ensureVerifierAdminToken, oid4vpRoutesFor } from '../../verifier/oid4vp/index.js';
import { loadTrustBundle } from '../../verifier/trust/load.js';
import { createVerifier } from '../../verifier/verify.js';
import { dataDirOf } from '../context.js';
import { parseSeconds } from '../parse.js';
import { serverLimitsOf, type ServerLimitOpts } from '../server-limits.run.js';

export type VerifierServeOpts = { bundle: string; host: string; port: string; aud?: string; maxAge: string; maxStatusAge: string; rateLimit: string } & ServerLimitOpts;

export async function runVerifierServe(opts: VerifierServeOpts, cmd: Command): Promise<void> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new NetcredError('INVALID_INPUT', '--port must be 0..65535');
  const kbMaxAgeSeconds = parseSeconds(opts.maxAge, '--max-age');
  const maxStatusAgeSeconds = parseSeconds(opts.maxStatusAge, '--max-status-age');
  const rateLimit = rateLimitSetting(opts.rateLimit, '--rate-limit');
  const limits = serverLimitsOf(opts);
  const v = createVerifier({ trust: loadTrustBundle(opts.bundle), aud: opts.aud, kbMaxAgeSeconds, maxStatusAgeSeconds });
  // OpenID4VP routes (admin token in <data>/verifier/admin-token, for `netcred verifier request`).
  let url = '';
  const oid4vp = oid4vpRoutesFor(v, { baseUrl: () => process.env.NETCRED_VERIFIER_PUBLIC_URL || url, adminToken: ensureVerifierAdminToken(dataDirOf(cmd)), rateLimit });
  const running = await listenApp(createVerifierApp({ verifier: v, rateLimit, routers: [oid4vp.router] }), { host: opts.host, port, limits });
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
}
