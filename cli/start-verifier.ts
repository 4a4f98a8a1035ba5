import path from 'node:path';
import { createVerifierApp } from '../verifier/http/app.js';
import { listenApp } from '../verifier/http/serve.js';
import { ensureVerifierAdminToken, oid4vpRoutesFor, verifierAdminTokenFile } from '../verifier/oid4vp/index.js';
import { emptyTrustBundle } from '../verifier/trust/bundle.js';
import { writeTrustBundle } from '../verifier/trust/load.js';
import { TrustStore } from '../verifier/trust/store.js';
import { syncIssuer } from '../verifier/trust/sync.js';
import { createVerifier } from '../verifier/verify.js';

export type LocalVerifier = { url: string; lines: string[]; close(): Promise<void> };

const RESYNC_MS = 60_000;

/**
 * The verifier app beside the issuer for `netcred start`: it trusts that issuer (synced from
 * it over HTTP, then again every minute so revocations show up), serves POST /verify and the
 * OpenID4VP routes, and keeps its admin token in <data>/verifier/admin-token, where
 * `netcred verifier request` finds it.
 */
export async function startLocalVerifier(options: { dataDir: string; host: string; port: number; issuerUrl: string }): Promise<LocalVerifier> {
  const bundleFile = path.join(path.resolve(options.dataDir), 'verifier', 'trust-bundle.json');
  const adminToken = ensureVerifierAdminToken(options.dataDir);
  const sync = async () => {
    const { bundle } = await syncIssuer(emptyTrustBundle(), options.issuerUrl);
    writeTrustBundle(bundleFile, bundle);
    return new TrustStore(bundle);
  };
  const verifier = createVerifier({ trust: await sync() });
  let url = '';
  const publicUrl = process.env.NETCRED_VERIFIER_PUBLIC_URL;
  const oid4vp = oid4vpRoutesFor(verifier, { baseUrl: () => publicUrl || url, adminToken });
  const running = await listenApp(createVerifierApp({ verifier, routers: [oid4vp.router] }), { host: options.host, port: options.port });
  url = running.url;
  const timer = setInterval(() => {
    sync().then(
      (trust) => verifier.setTrust(trust),
      (err: Error) => process.stderr.write(`netcred: verifier trust sync failed (keeping the previous bundle): ${err.message}\n`),
    );
  }, RESYNC_MS);
  timer.unref();
  const base = publicUrl || url;
  return {
    url,
    lines: [
      `netcred verifier (trusts ${options.issuerUrl}, bundle ${bundleFile})`,
      `  listening on   ${url}`,
      `  verify         POST ${base}/verify`,
      `  OpenID4VP      POST ${base}/oid4vp/requests (admin), GET ${base}/oid4vp/requests/:id, POST ${base}/oid4vp/responses`,
      `  admin token    ${verifierAdminTokenFile(options.dataDir)}`,
    ],
    async close() {
      clearInterval(timer);
      const force = setTimeout(() => running.server.closeAllConnections(), 5000);
      force.unref();
      await running.close();
      clearTimeout(force);
    },
  };
}
