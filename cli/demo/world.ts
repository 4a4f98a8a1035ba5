import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NetcredError } from '../../core/errors.js';
import { initWallet, type Wallet } from '../../holder/wallet.js';
import type { IssuerContext } from '../../issuer/context.js';
import { serveIssuer, type RunningServer } from '../../issuer/http/serve.js';
import { initIssuer } from '../../issuer/open.js';
import { createVerifierApp } from '../../verifier/http/app.js';
import { listenApp } from '../../verifier/http/serve.js';
import {
  createOid4vpRouter,
  createVerifierDevChain,
  loadVerifierX509,
  pipelineVerifier,
  type Oid4vpRouter,
  type Oid4vpRouterOptions,
  type Verdict,
} from '../../verifier/oid4vp/index.js';
import { emptyTrustBundle } from '../../verifier/trust/bundle.js';
import { TrustStore } from '../../verifier/trust/store.js';
import { createVerifier, type Verifier } from '../../verifier/verify.js';
import { NetWatch, type Destination } from './net-watch.js';
import { freePort } from './free-port.js';

/** The kiosk's identifier: the `aud` a one-way QR proof is made for. */
export const KIOSK_ID = 'kiosk:quzhou-station-hall-3';
/** The enrollment point that read the ID card chip and checked the face. */
export const ENROLLMENT_STATION = 'quzhou-kecheng-enroll-01';

/** HAIP story: the DNS name the verifier's certificate names (its x509_san_dns client id), and the name wallets show. */
export const VERIFIER_DNS = 'localhost';
export const VERIFIER_NAME = 'Quzhou Rural Bank, Kecheng Branch';

export type DemoWallet = { name: string; wallet: Wallet; did: string; dir: string };

/** The HAIP verifier's development PKI, as `netcred verifier cert` writes it (files under <root>/kiosk/x509). */
export type VerifierPkiFiles = { dir: string; caPem: string; caFile: string; chainFile: string; keyFile: string; clientId: string; name: string };

/**
 * Everything the story runs on, real and local: an issuer (SQLite in a temp dir, HTTP on a free
 * port of 127.0.0.1), a verifier kiosk (its trust bundle file, the offline pipeline, the
 * OpenID4VP routes on another free port), wallets, and a watch on outgoing connections.
 */
/** Where a written file is: its path, and that it goes with the temp dir unless --keep. */
export function fileNote(world: Pick<World, 'keep'>, file: string): string {
  return world.keep ? file : `${file} (removed with the temp dir at the end; --keep keeps it)`;
}

export type World = {
  root: string;
  issuer: { ctx: IssuerContext; url: string; server: RunningServer; requests(): number };
  verifier: {
    url: string;
    kiosk: Verifier;
    oid4vp: Oid4vpRouter;
    bundleFile: string;
    adminToken: string;
    verdicts: Verdict[];
    verifyConnections: Destination[][];
    /** HAIP world: the verifier's X.509 identity (x509_san_dns, direct_post.jwt, request_uri_method=post). */
    x509?: VerifierPkiFiles;
  };
  net: NetWatch;
  pin: string;
  showQr: boolean;
  /** The temp dir stays after the demo (--keep): only then are the files it names still there. */
  keep: boolean;
  newWallet(name: string): Promise<DemoWallet>;
  /** An admin call to the issuer, as the enrollment point or the help desk makes it. */
  issuerAdmin(method: 'GET' | 'POST', route: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
};

export type WorldOptions = {
  showQr: boolean;
  root?: string;
  keep?: boolean;
  /**
   * The HAIP 1.0 world: an ES256 issuer whose identifier is its URL, with a development X.509
   * chain (`issuer init --x509 --haip`); a verifier with its own development chain for
   * `localhost`, reached as http://localhost:<port>, asking with x509_san_dns, signed request
   * objects fetched by POST and direct_post.jwt (`verifier cert` + `verifier serve --x509-*`).
   */
  haip?: boolean;
};

/** `netcred verifier cert --dns localhost --name ...`: a development CA, the leaf chain and its key, written as the CLI writes them. */
async function verifierPki(root: string): Promise<{ files: VerifierPkiFiles; x509: Pick<Oid4vpRouterOptions, 'x509' | 'clientIdPrefix'> }> {
  const dir = path.join(root, 'kiosk', 'x509');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const made = await createVerifierDevChain({ dnsName: VERIFIER_DNS, name: VERIFIER_NAME });
  const caFile = path.join(dir, 'ca.pem');
  const chainFile = path.join(dir, 'chain.pem');
  const keyFile = path.join(dir, 'key.pem');
  writeFileSync(caFile, made.caPem);
  writeFileSync(chainFile, made.chainPem);
  writeFileSync(keyFile, made.keyPem, { mode: 0o600 });
  const { x509, prefix, clientId } = loadVerifierX509({ certPem: made.chainPem, keyPem: made.keyPem, clientId: `x509_san_dns:${VERIFIER_DNS}` });
  return { files: { dir, caPem: made.caPem, caFile, chainFile, keyFile, clientId, name: x509.name ?? VERIFIER_NAME }, x509: { x509, clientIdPrefix: prefix } };
}

export async function createWorld(options: WorldOptions): Promise<World> {
  const root = options.root ?? mkdtempSync(path.join(os.tmpdir(), 'netcred-demo-'));
  // Ctrl-C or a kill mid-story: the temp dir (it holds the issuer's secret.key) goes with the process.
  const onSignal = (signal: NodeJS.Signals) => {
    if (!options.keep) rmSync(root, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    for (const c of closers.reverse()) await Promise.resolve(c()).catch(() => undefined);
    if (!options.keep) rmSync(root, { recursive: true, force: true });
  };
  const net = new NetWatch();
  net.install();
  closers.push(() => net.uninstall());
  try {
    // Issuer: its public URL must be known at init (it is in every credential's status URI).
    const port = await freePort();
    // HAIP: `issuer init --x509 --haip --alg ES256` (iss = the URL, credentials carry x5c; PAR, PKCE and DPoP required).
    const haipIssuer = options.haip ? ({ alg: 'ES256', x509: true, oauth: { haip: true } } as const) : {};
    const ctx = await initIssuer({ dataDir: path.join(root, 'issuer-data'), publicUrl: `http://127.0.0.1:${port}`, ...haipIssuer });
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
    const pki = options.haip ? await verifierPki(root) : undefined;
    const oid4vp = createOid4vpRouter({
      ...(pki ? { ...pki.x509, responseMode: 'direct_post.jwt', requestUriMethod: 'post' } : {}),
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
    // The HAIP verifier is reached by the DNS name its certificate names (wallets post only to that host).
    verifierUrl = pki ? running.url.replace('127.0.0.1', VERIFIER_DNS) : running.url;
    closers.push(() => {
      running.server.closeAllConnections(); // nothing is in flight at the end: do not wait for keep-alive sockets
      return running.close();
    });
    mkdirSync(path.join(root, 'kiosk'), { recursive: true });

    const pin = '246810';
    const world: World = {
      root,
      issuer: { ctx, url: server.url, server, requests: () => issuerRequests },
      verifier: {
        url: verifierUrl,
        kiosk,
        oid4vp,
        bundleFile: path.join(root, 'kiosk', 'trust-bundle.json'),
        adminToken,
        verdicts,
        verifyConnections,
        ...(pki ? { x509: pki.files } : {}),
      },
      net,
      pin,
      showQr: options.showQr,
      keep: options.keep ?? false,
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
