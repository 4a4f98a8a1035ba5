import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { isNetcredError } from '../../core/errors.js';
import { encodeQrTransport } from '../../core/qr/transport.js';
import { qrTerminal, writeQrPng } from '../../core/qr/image.js';
import { acceptOffer } from '../../holder/oid4vci/index.js';
import { createPresentation } from '../../holder/present/create.js';
import type { IdentityClaims } from '../../schemas/index.js';
import { readOrCreateTrustBundle, writeTrustBundle, loadTrustBundle } from '../../verifier/trust/load.js';
import { syncIssuer, type SyncReport } from '../../verifier/trust/sync.js';
import type { VerificationResult } from '../../verifier/result.js';
import { disclosedClaims } from './disclosed.js';
import type { Story, StepLog } from './report.js';
import { ENROLLMENT_STATION, fileNote, KIOSK_ID, type DemoWallet, type World } from './world.js';

export class DemoError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The enrollment point: chip read + face check done, it registers the claims and gets an offer with a tx_code. */
export async function enrollAtStation(world: World, log: StepLog, claims: IdentityClaims): Promise<{ offer: string; txCode: string }> {
  const evidence = { method: 'chip+face', station: ENROLLMENT_STATION, time: new Date().toISOString() };
  const res = await world.issuerAdmin('POST', '/admin/enrollments', { claims, evidence, txCode: true, qr: false });
  if (res.status !== 201 || typeof res.body.offer !== 'string' || typeof res.body.txCode !== 'string') {
    throw new DemoError('DEMO_ENROLLMENT_FAILED', `POST /admin/enrollments answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  }
  log.note(`enrollment point ${ENROLLMENT_STATION}: ID card chip read, face matched (evidence ${evidence.method})`);
  log.note(`credential offer: ${res.body.offer.slice(0, 72)}...`);
  log.note(`tx_code shown on the enrollment screen: ${res.body.txCode}`);
  return { offer: res.body.offer, txCode: res.body.txCode };
}

/** The wallet scans the offer, the resident types the tx_code: OpenID4VCI pre-authorized code flow. */
export async function acceptAtWallet(holder: DemoWallet, log: StepLog, offer: { offer: string; txCode: string }): Promise<string> {
  const result = await acceptOffer(holder.wallet, offer.offer, { txCode: offer.txCode });
  const stored = result.credentials[0];
  if (!stored || result.credentials.length !== 1) throw new DemoError('DEMO_ISSUANCE_FAILED', `expected one credential, got ${result.credentials.length}`);
  log.note(`wallet "${holder.name}" (${holder.did.slice(0, 28)}...) received credential ${stored.id} (${stored.format}, ${stored.vct})`);
  return stored.id;
}

/** The verifier is online: it refreshes its trust bundle from the issuer and reloads it. */
export async function syncVerifier(world: World): Promise<SyncReport> {
  const { bundle, report } = await syncIssuer(readOrCreateTrustBundle(world.verifier.bundleFile), world.issuer.url);
  writeTrustBundle(world.verifier.bundleFile, bundle);
  world.verifier.kiosk.setTrust(loadTrustBundle(world.verifier.bundleFile));
  return report;
}

export type LiteQr = { qr: string; presentation: string; credentialId: string; png: string; version: number; vct: string | undefined };

/**
 * The wallet shows a one-way QR: a lite presentation with a fresh KB-JWT (aud = the kiosk, nonce
 * chosen by the wallet); `draw` also draws it on the terminal; `credentialId` presents that
 * credential (what `wallet present --credential` does) instead of the wallet's choice.
 */
export async function showLiteQr(world: World, story: Story, holder: DemoWallet, label: string, draw = false, credentialId?: string): Promise<LiteQr> {
  const p = await createPresentation(holder.wallet, {
    profile: 'lite',
    aud: KIOSK_ID,
    nonce: randomBytes(16).toString('base64url'),
    ...(credentialId !== undefined ? { credentialId } : {}),
  });
  const qr = encodeQrTransport(p.presentation);
  const png = path.join(world.root, `${label}.png`);
  const info = await writeQrPng(png, qr);
  const vct = p.plan[0]?.vct;
  story.raw(
    `   wallet "${holder.name}" shows a QR code (${qr.length} characters, version ${info.version}, from ${vct?.endsWith('/lite') ? 'the lite companion of ' : ''}credential ${p.credentialId}), written to ${fileNote(world, png)}`,
  );
  if (draw && world.showQr) story.raw(await qrTerminal(qr));
  return { qr, presentation: p.presentation, credentialId: p.credentialId, png, version: info.version, vct };
}

/** The kiosk scans a QR and verifies it with the network refused: returns the result and the connections attempted. */
export async function kioskScan(world: World, qr: string): Promise<{ result: VerificationResult; connections: number }> {
  const before = world.issuer.requests();
  const { result, connections } = await world.net.during(() => world.verifier.kiosk.verify(qr, { profile: 'lite' }), { refuseAll: true });
  // New connections are watched; the issuer's request count also catches a reused keep-alive socket.
  return { result, connections: connections.length + (world.issuer.requests() - before) };
}

/** Records what was disclosed and the kiosk's verdict. */
export function reportScan(log: StepLog, scan: { result: VerificationResult; connections: number }, presentation: string): void {
  log.disclosed(disclosedClaims(presentation), KIOSK_ID);
  const r = scan.result;
  log.verdict(
    r.valid ? { valid: true, issuer: r.issuer, claims: r.claims, statusListAge: r.status.listAge } : { valid: false, code: r.code, message: r.message },
    'kiosk',
  );
}

/** The error code of a promise that should fail, or 'no error'. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (err) {
    return isNetcredError(err) ? err.code : err instanceof Error ? err.message : String(err);
  }
}

export function writeText(file: string, text: string): void {
  writeFileSync(file, text);
}

/**
 * The OpenID4VP verdict of a request as the verifier stored it, checked valid, with proof that
 * the verifier opened no connection while verifying and the issuer saw no request while the
 * verifier was offline (since `checksBefore` / `offlineSince`).
 */
export function reportOfflineVerdict(world: World, log: StepLog, requestId: string, checksBefore: number, offlineSince: number, offlineLabel: string): void {
  const verdict = world.verifier.oid4vp.store.byId(requestId)?.verdict;
  const cred = verdict?.credentials?.[0];
  log.verdict({
    valid: verdict?.status === 'valid',
    code: verdict?.code,
    message: verdict?.message,
    status: verdict?.status,
    issuer: cred?.issuer,
    claims: cred?.claims,
  });
  log.check('verdict', 'valid', verdict?.status === 'valid' ? 'valid' : `${verdict?.status} ${verdict?.code ?? ''}`);
  const opened = world.verifier.verifyConnections.slice(checksBefore);
  log.check(
    'connections opened by the verifier while verifying',
    0,
    opened.length === 1 ? opened[0]!.length : `${opened.length} verifications`,
    opened.length === 1 && opened[0]!.length === 0,
  );
  log.check(`requests the issuer received while the verifier was offline${offlineLabel}`, 0, world.issuer.requests() - offlineSince);
}
