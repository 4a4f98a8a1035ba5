import { randomBytes } from 'node:crypto';
import express, { type Express } from 'express';
import { InvalidInputError } from '../../core/errors.js';
import { httpErrorHandler } from '../../core/http/errors.js';
import { jsonBody } from '../../core/http/json-body.js';
import { listen } from '../../core/http/listen.js';
import { staticPage } from '../../core/http/static-pages.js';
import { DEFAULT_KIOSK_AUD } from '../present/kiosk.js';
import { openWallet, type WalletOptions } from '../wallet.js';
import { DEFAULT_QR_TIMING, walletApi, type QrTiming } from './api.js';
import { Consents } from './consent.js';
import { sameOriginOnly, sessionToken } from './guard.js';
import { securityHeaders } from './headers.js';
import { DEFAULT_IDLE_LOCK_MS, WalletSession } from './session.js';

/** How `netcred wallet ui` serves the wallet page: data directory, address, idle lock, kiosk audience and QR timing. */
export type WalletUiOptions = {
  /** The data dir whose wallet (<data>/wallet/) the page opens. */
  dataDir: string;
  /** Default 0: any free port. */
  port?: number;
  /** Only a loopback address is accepted (default 127.0.0.1): the page holds an unlocked wallet. */
  host?: string;
  /** Lock again after this long without a call from the page (default 5 minutes). */
  idleLockMs?: number;
  /** KB-JWT `aud` of the lite QR (default netcred:kiosk). */
  kioskAud?: string;
  qr?: Partial<QrTiming>;
  /** dist/web by default (core/http/static-pages.ts). */
  distDir?: string;
  wallet?: WalletOptions;
};

/** A running wallet page: its origin, the URL to open (with its one-time token), the session, and close(). */
export type RunningWalletUi = {
  /** http://127.0.0.1:PORT (no token). */
  origin: string;
  /** The URL to open: the origin with this launch's session token in the fragment (#t=...). */
  url: string;
  token: string;
  session: WalletSession;
  /** The express app (docs/openapi/wallet-ui.json documents its routes). */
  app: Express;
  close(): Promise<void>;
};

/** The page server: security headers, the Host/Origin guard, the token-guarded API at /api, the page at /. */
export function createWalletUiApp(o: {
  session: WalletSession;
  consents: Consents;
  token: string;
  port: () => number;
  dataDir: string;
  kioskAud: string;
  qr: QrTiming;
  distDir?: string;
}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.use((req, res, next) => sameOriginOnly(o.port())(req, res, next));
  app.use(
    '/api',
    sessionToken(o.token),
    jsonBody({ limit: 32 * 1024 }),
    walletApi({ session: o.session, consents: o.consents, dataDir: o.dataDir, kioskAud: o.kioskAud, qr: o.qr }),
  );
  app.use(staticPage({ page: 'wallet', path: '/', camera: true, ...(o.distDir ? { distDir: o.distDir } : {}) }));
  app.use((_req, res) => {
    res.status(404).set('Cache-Control', 'no-store').json({ error: 'not_found', error_description: 'no such route' });
  });
  app.use(httpErrorHandler({ log: 'wallet ui', details: true }));
  return app;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost']);

/**
 * `netcred wallet ui`: opens the wallet (locked) and serves its page on 127.0.0.1 only, with a
 * random session token for this launch. Stopping it locks and closes the wallet.
 */
export async function startWalletUi(options: WalletUiOptions): Promise<RunningWalletUi> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new InvalidInputError(`the wallet page is served on 127.0.0.1 only, not on ${host}`, [{ path: 'host', message: host }]);
  const token = randomBytes(32).toString('base64url');
  const wallet = await openWallet(options.dataDir, options.wallet ?? {});
  const session = new WalletSession(wallet, options.idleLockMs ?? DEFAULT_IDLE_LOCK_MS);
  const consents = new Consents();
  session.onLocked(() => consents.dropAll());
  let port = 0;
  const app = createWalletUiApp({
    session,
    consents,
    token,
    port: () => port,
    dataDir: options.dataDir,
    kioskAud: options.kioskAud ?? DEFAULT_KIOSK_AUD,
    qr: { ...DEFAULT_QR_TIMING, ...options.qr },
    ...(options.distDir ? { distDir: options.distDir } : {}),
  });
  let server;
  try {
    server = await listen(app, { host: '127.0.0.1', port: options.port ?? 0 });
  } catch (err) {
    await session.close();
    throw err;
  }
  port = Number(new URL(server.url).port);
  return {
    origin: server.url,
    url: `${server.url}/#t=${token}`,
    token,
    session,
    app,
    async close() {
      consents.dropAll();
      await server.close();
      await session.close();
    },
  };
}
