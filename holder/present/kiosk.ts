import { randomBytes } from 'node:crypto';
import { qrInfo, type QrInfo } from '../../core/qr/image.js';
import { encodeQrTransport } from '../../core/qr/transport.js';
import type { Wallet } from '../wallet.js';
import { createPresentation, type PresentationRequest, type PresentationResult } from './create.js';

/** KB-JWT `aud` of the one-way kiosk QR when no kiosk identifier is configured. */
export const DEFAULT_KIOSK_AUD = 'netcred:kiosk';

/** A presentation for an offline kiosk, with its `aud`, `nonce`, `iat`, the QR payload and the QR's size. */
export type KioskQrResult = PresentationResult & { aud: string; nonce: string; iat: number; qrPayload: string; qr: QrInfo };

/**
 * The one-way kiosk case: a `lite` presentation with `aud` = the kiosk identifier, a fresh
 * random 128-bit nonce (the kiosk cannot send one) and `iat` now (the kiosk checks freshness),
 * encoded as one NC1 QR payload (docs/qr-transport.md).
 */
export async function createKioskQr(
  wallet: Wallet,
  options: { aud?: string; nonce?: string; iat?: number; confirm?: PresentationRequest['confirm']; credentialId?: string } = {},
): Promise<KioskQrResult> {
  const aud = options.aud ?? DEFAULT_KIOSK_AUD;
  const nonce = options.nonce ?? randomBytes(16).toString('base64url');
  const iat = options.iat ?? Math.floor(wallet.now() / 1000);
  const result = await createPresentation(wallet, {
    profile: 'lite',
    aud,
    nonce,
    iat,
    confirm: options.confirm,
    ...(options.credentialId !== undefined ? { credentialId: options.credentialId } : {}),
  });
  const qrPayload = encodeQrTransport(result.presentation);
  return { ...result, aud, nonce, iat, qrPayload, qr: qrInfo(qrPayload) };
}
