import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NetcredError } from '../../core/errors.js';
import { initWallet, type Wallet } from '../../holder/wallet.js';
import type { IssuerContext } from '../../issuer/context.js';
import { serveIssuer, type RunningServer } from '../../issuer/http/serve.js';
import { initIssuer } from '../../issuer/open.js';
import { createVerifierApp } from '../../verifier/http/app.js';
import { listenApp } from '../../verifier/http/serve.js';
import { createOid4vpRouter, pipelineVerifier, type Oid4vpRouter, type Verdict } from '../../verifier/oid4vp/index.js';
import { emptyTrustBundle } from '../../verifier/trust/bundle.js';
import { TrustStore } from '../../verifier/trust/store.js';
import { createVerifier, type Verifier } from '../../verifier/verify.js';
import { NetWatch, type Destination } from './net-watch.js';
import { freePort } from './free-port.js';

/** The kiosk's identifier: the `aud` a one-way QR proof is made for. */
export const KIOSK_ID = 'kiosk:quzhou-station-hall-3';
/** The enrollment point that read the ID card chip and checked the face. */
export const ENROLLMENT_STATION = 'quzhou-kecheng-enroll-01';

export type DemoWallet = { name: string; wallet: Wallet; did: string; dir: string };

/**
 * Everything the story runs on, real and local: an issuer (SQLite in a temp dir, HTTP on a free
 * port of 127.0.0.1), a verifier kiosk (its trust bundle file, the offline pipeline, the
 * OpenID4VP routes on another free port), wallets, and a watch on outgoing connections.
 */
export type World = {
  root: string;
  issuer: { ctx: IssuerContext; url: string; server: RunningServer; requests(): number };
  verifier: { url: string; kiosk: Verifier; oid4vp: Oid4vpRouter; bundleFile: string; adminToken: string; verdicts: Verdict[]; verifyConnections: Destination[][] };
  net: NetWatch;
  pin: string;
  showQr: boolean;
  newWallet(name: string): Promise<DemoWallet>;
  /** An admin call to the issuer, as the enrollment point or the help desk makes it. */
  issuerAdmin(method: 'GET' | 'POST', route: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
};


export type WorldOptions = { showQr: boolean; root?: string; keep?: boolean };

export async function createWorld(options: WorldOptions): Promise<World> {
  const root = options.root ?? mkdtempSync(path.join(os.tmpdir(), 'netcred-demo-'));
  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await Promise.resolve(c()).catch(() => undefined);
    if (!options.keep) rmSync(root, { recursive: true, force: true });
  };
  const net = new NetWatch();
  net.install();
  closers.push(() => net.uninstall());
  try {
    // Issuer: its public URL must be known at init (it is in every credential's status URI).
    const port = await freePort();
    const ctx = await initIssuer({ dataDir: path.join(root, 'issuer-data'), publicUrl: `http://127.0.0.1:${port}` });
    closers.push(() => ctx.close());
    const server = await serveIssuer(ctx, { host: '127.0.0.1', port });
    closers.push(() => server.close());
    let issuerRequests = 0;
    server.server.on('request', () => issuerRequests++);

    // Verifier kiosk: starts with an empty bundle; step 2 syncs it.
    const adminToken = randomBytes(24).toString('base64url');
    const kiosk = createVerifier({ trust: new TrustStore(emptyTrustBundle()), aud: KIOSK_ID });
    const verdicts: Verdict[] = [];
    const verifyConnections: Destination[][] = [];
    const pipeline = pipelineVerifier(kiosk);
    let verifierUrl = '';
    const oid4vp = createOid4vpRouter({
      baseUrl: () => verifierUrl,
      adminToken,
      // The same offline pipeline, watched: the connections it opens while verifying are recorded.
      verify: async (presentation, opts) => {
        const { result, connections } = await net.during(() => pipeline(presentation, opts));
        verifyConnections.push(connections);
        return result;
      },
      onVerdict: (v) => verdicts.push(v),
    });
    const running = await listenApp(createVerifierApp({ verifier: kiosk, routers: [oid4vp.router] }), { host: '127.0.0.1', port: 0 });
    verifierUrl = running.url;
    closers.push(() => {
      running.server.closeAllConnections(); // nothing is in flight at the end: do not wait for keep-alive sockets
      return running.close();
    });
    mkdirSync(path.join(root, 'kiosk'), { recursive: true });

    const pin = '246810';
    const world: World = {
      root,
      issuer: { ctx, url: server.url, server, requests: () => issuerRequests },
      verifier: { url: running.url, kiosk, oid4vp, bundleFile: path.join(root, 'kiosk', 'trust-bundle.json'), adminToken, verdicts, verifyConnections },
      net,
      pin,
      showQr: options.showQr,
      async newWallet(name) {
        const dir = path.join(root, `wallet-${name}`);
        const { wallet, key } = await initWallet(dir, pin);
        closers.push(() => wallet.close());
        return { name, wallet, did: key.did, dir };
      },
      async issuerAdmin(method, route, body) {
        const res = await fetch(`${server.url}${route}`, {
          method,
          headers: { authorization: `Bearer ${ctx.config.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await res.text();
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(text) as Record<string, unknown>;
        } catch {
          throw new NetcredError('DEMO_UNEXPECTED_ANSWER', `${method} ${route}: HTTP ${res.status}, not JSON`);
        }
        return { status: res.status, body: parsed };
      },
      close,
    };
    return world;
  } catch (err) {
    await close();
    throw err;
  }
}

/** The issuer's host:port, for cutting the verifier off from it. */
export function isIssuer(world: World, d: Destination): boolean {
  const u = new URL(world.issuer.url);
  return d.port === Number(u.port) && (d.host === u.hostname || d.host === 'localhost' || d.host === '::1');
}
