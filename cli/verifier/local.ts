import path from 'node:path';
import type { ServerLimits } from '../../core/index.js';
import {
  createOid4vpRouter,
  createVerifier,
  createVerifierApp,
  emptyTrustBundle,
  ensureVerifierAdminToken,
  ephemeralVerifierDidKey,
  listenApp,
  pipelineVerifier,
  syncIssuer,
  TrustStore,
  verifierAdminTokenFile,
  writeTrustBundle,
  type PresentationVerifier,
} from '../../verifier/index.js';

export type LocalVerifier = { url: string; lines: string[]; close(): Promise<void> };

const RESYNC_MS = 60_000;
/** A list the bundle does not have yet triggers a sync, at most this often. */
const ON_DEMAND_MIN_MS = 5_000;

/**
 * The verifier app beside the issuer for `netcred start`: it trusts that issuer (synced from
 * it over HTTP, then again every minute so revocations show up, and at once when an OpenID4VP
 * answer names a status list it does not have yet: the issuer's first list appears with its
 * first credential, after the verifier started), serves POST /verify and the
 * OpenID4VP routes, and keeps its admin token in <data>/verifier/admin-token, where
 * `netcred verifier request` finds it.
 */
export async function startLocalVerifier(options: {
  dataDir: string;
  host: string;
  port: number;
  issuerUrl: string;
  limits?: Partial<ServerLimits>;
}): Promise<LocalVerifier> {
  const bundleFile = path.join(path.resolve(options.dataDir), 'verifier', 'trust-bundle.json');
  const adminToken = ensureVerifierAdminToken(options.dataDir);
  const sync = async () => {
    const { bundle } = await syncIssuer(emptyTrustBundle(), options.issuerUrl);
    writeTrustBundle(bundleFile, bundle);
    return new TrustStore(bundle);
  };
  const verifier = createVerifier({ trust: await sync() });
  let lastSync = Date.now();
  let inflight: Promise<void> | undefined;
  const resync = (): Promise<void> =>
    (inflight ??= sync()
      .then((trust) => {
        verifier.setTrust(trust);
        lastSync = Date.now();
      })
      .finally(() => {
        inflight = undefined;
      }));
  const pipeline = pipelineVerifier(verifier);
  const verify: PresentationVerifier = async (presentation, request) => {
    const first = await pipeline(presentation, request);
    if (first.valid || first.code !== 'STATUS_UNKNOWN' || Date.now() - lastSync < ON_DEMAND_MIN_MS) return first;
    await resync().catch(() => undefined);
    return pipeline(presentation, request);
  };
  let url = '';
  const publicUrl = process.env.NETCRED_VERIFIER_PUBLIC_URL;
  const oid4vp = createOid4vpRouter({ baseUrl: () => publicUrl || url, adminToken, verify, clientIdPrefix: 'redirect_uri', didKey: ephemeralVerifierDidKey() });
  const running = await listenApp(createVerifierApp({ verifier, routers: [oid4vp.router] }), {
    host: options.host,
    port: options.port,
    limits: options.limits,
  });
  url = running.url;
  const timer = setInterval(() => {
    resync().catch((err: Error) => process.stderr.write(`netcred: verifier trust sync failed (keeping the previous bundle): ${err.message}\n`));
  }, RESYNC_MS);
  timer.unref();
  const base = publicUrl || url;
  return {
    url,
    lines: [
      `netcred verifier (trusts ${options.issuerUrl}, bundle ${bundleFile})`,
      `  listening on   ${url}`,
      `  kiosk page     ${base}/kiosk/  (scans the wallet's lite QR with the camera; the full identity check asks once for the admin token below)`,
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
