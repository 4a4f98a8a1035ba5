import express, { type Request, type Response, type Router } from 'express';
import { InvalidInputError } from '../../core/errors.js';
import { decodeCredential } from '../credential.js';
import { acceptOffer } from '../oid4vci/accept.js';
import { Oid4vciClientError } from '../oid4vci/errors.js';
import { createKioskQr } from '../present/kiosk.js';
import { listCredentials, readCredential } from '../store/credentials.js';
import { syncWallet } from '../sync/sync.js';
import { readVerifierRoots } from '../trust/verifier-roots.js';
import type { Consents } from './consent.js';
import type { WalletSession } from './session.js';
import { credentialView, planView, requestView, revokedViews } from './views.js';

/** How often the page asks for a new lite QR, and how long a kiosk accepts one (the verifier's default KB-JWT max age). */
export type QrTiming = { refreshMs: number; validMs: number };
/** The wallet page's kiosk QR: refreshed every minute, valid five minutes. */
export const DEFAULT_QR_TIMING: QrTiming = { refreshMs: 60_000, validMs: 300_000 };

export type ApiOptions = {
  session: WalletSession;
  consents: Consents;
  dataDir: string;
  /** KB-JWT `aud` of the lite QR: the kiosk identifier. */
  kioskAud: string;
  qr: QrTiming;
};

/** A call the page makes by itself (the QR refresh) does not keep the wallet unlocked. */
const AUTOMATIC = 'x-netcred-automatic';

function text(body: unknown, name: string, max: number, optional = false): string | undefined {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > max)
    throw new InvalidInputError(`${name} must be a string of 1 to ${max} characters`, [{ path: name, message: 'missing, empty or too long' }]);
  return v;
}

/** A display name from the claims, when the credential has one. */
function nameOf(claims: Record<string, unknown>): string | undefined {
  const parts = [claims.family_name, claims.given_name].filter((p): p is string => typeof p === 'string');
  return parts.length ? parts.join('') : undefined;
}

/**
 * The JSON API of the wallet page, over the holder library. Every route answers `no-store`;
 * errors go through the one HTTP error contract (`error`, `error_description`, `code`, `details`).
 */
export function walletApi(o: ApiOptions): Router {
  const { session, consents } = o;
  const api = express.Router();
  api.use((req: Request, res: Response, next) => {
    res.set('Cache-Control', 'no-store');
    if (req.get(AUTOMATIC) !== '1' && req.path !== '/state') session.touch();
    next();
  });

  api.get('/state', async (_req, res) => {
    const pin = await session.wallet.pinState();
    const now = session.wallet.now();
    res.json({
      locked: session.locked,
      failures: pin.failures,
      retryAfterMs: Math.max(0, pin.nextAttemptAt - now),
      lockAfterMs: session.idleLockMs,
      ...(session.lastSync ? { lastSyncAt: session.lastSync.at } : {}),
    });
  });

  api.post('/unlock', async (req, res) => {
    await session.unlock(text(req.body, 'pin', 128)!);
    res.json({ unlocked: true });
  });

  api.post('/lock', (_req, res) => {
    session.lock();
    res.json({ locked: true });
  });

  api.get('/credentials', async (_req, res) => {
    const w = session.unlocked();
    const stored = await listCredentials(w);
    const views = [];
    for (const c of stored) {
      let name: string | undefined;
      try {
        name = nameOf(decodeCredential((await readCredential(w, c.id)).sdJwt).unpacked.claims);
      } catch {
        name = undefined; // shown without a name; presenting it reports the problem
      }
      views.push(credentialView(c, name));
    }
    res.json({ credentials: [...views, ...revokedViews(session)], ...(session.lastSync ? { lastSyncAt: session.lastSync.at } : {}) });
  });

  api.post('/lite-qr', async (req, res) => {
    const w = session.unlocked();
    const credentialId = text(req.body, 'credentialId', 200, true);
    const qr = await createKioskQr(w, { aud: o.kioskAud, ...(credentialId ? { credentialId } : {}) });
    res.json({
      payload: qr.qrPayload,
      version: qr.qr.version,
      chars: qr.qr.chars,
      errorCorrection: qr.qr.errorCorrection,
      aud: qr.aud,
      iat: qr.iat,
      credentialId: qr.credentialId,
      disclosed: qr.disclosed.map((d) => ({ path: d.path, value: d.value })),
      refreshInMs: o.qr.refreshMs,
      validForMs: o.qr.validMs,
    });
  });

  api.post('/requests', async (req, res) => {
    const w = session.unlocked();
    const uri = text(req.body, 'uri', 16 * 1024)!.trim();
    const { id, summary } = await consents.open(w, uri, readVerifierRoots(o.dataDir));
    res.status(201).json({ id, verifier: requestView(summary), plan: planView(summary.plan) });
  });

  api.post('/requests/:id', async (req, res) => {
    session.unlocked();
    const send = (req.body as Record<string, unknown> | undefined)?.send;
    if (typeof send !== 'boolean') throw new InvalidInputError('send must be true or false', [{ path: 'send', message: 'not a boolean' }]);
    const outcome = await consents.decide(String(req.params.id), send);
    if (outcome.status === 'declined') return void res.json({ status: 'declined' });
    const { result } = outcome;
    res.json({
      status: 'sent',
      verifier: requestView(result),
      plan: planView(result.plan),
      ...(result.redirectUri ? { redirectUri: result.redirectUri } : {}),
    });
  });

  api.post('/offers', async (req, res) => {
    const w = session.unlocked();
    const offer = text(req.body, 'offer', 16 * 1024)!.trim();
    const txCode = text(req.body, 'txCode', 64, true);
    const result = await acceptOffer(w, offer, {
      ...(txCode ? { txCode } : {}),
      askTxCode: async () => {
        throw new Oid4vciClientError('TX_CODE_REQUIRED', 'the offer requires a transaction code: enter the code the enrollment point gave');
      },
    });
    res.status(201).json({
      credentialIssuer: result.credentialIssuer,
      credentialConfigurationId: result.credentialConfigurationId,
      credentials: result.credentials.map((c) => credentialView(c, undefined)),
    });
  });

  api.post('/sync', async (_req, res) => {
    const w = session.unlocked();
    const report = await syncWallet(w);
    const at = w.now();
    session.recordSync(report, at);
    res.json({ at, ...report });
  });

  return api;
}
