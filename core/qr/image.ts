import QRCode from 'qrcode';
import { NetcredError } from '../errors.js';

/** Error correction M (~15% recovery): the level the kiosk target (version <= 20, docs/qr-transport.md) is measured at. */
export const QR_ERROR_CORRECTION = 'M' as const;

/** The size of a QR code: version, modules per side, characters and error correction level. */
export type QrInfo = { version: number; modules: number; chars: number; errorCorrection: typeof QR_ERROR_CORRECTION };

function segments(text: string): QRCode.QRCodeSegment[] {
  // NC1 text is entirely in the alphanumeric set: force that mode (5.5 bits/char) rather than byte mode.
  return /^[0-9A-Z $%*+\-./:]*$/.test(text) ? [{ data: text, mode: 'alphanumeric' }] : [{ data: Buffer.from(text, 'utf8'), mode: 'byte' }];
}

function create(text: string): QRCode.QRCode {
  try {
    return QRCode.create(segments(text), { errorCorrectionLevel: QR_ERROR_CORRECTION });
  } catch (cause) {
    throw new NetcredError('QR_TOO_LARGE', `the payload does not fit one QR code: ${(cause as Error).message}`, { cause });
  }
}

/** QR version (1..40) and size a text needs at error correction M. */
export function qrInfo(text: string): QrInfo {
  const qr = create(text);
  return { version: qr.version, modules: qr.modules.size, chars: text.length, errorCorrection: QR_ERROR_CORRECTION };
}

/** Writes a PNG of the QR code (4-module quiet zone, 4 px per module by default). */
export async function writeQrPng(file: string, text: string, options: { scale?: number } = {}): Promise<QrInfo> {
  const info = qrInfo(text);
  await QRCode.toFile(file, segments(text), { type: 'png', errorCorrectionLevel: QR_ERROR_CORRECTION, margin: 4, scale: options.scale ?? 4 });
  return info;
}

/** The QR code drawn with Unicode half blocks for a terminal. */
export async function qrTerminal(text: string): Promise<string> {
  create(text);
  return QRCode.toString(segments(text), { type: 'terminal', small: true, errorCorrectionLevel: QR_ERROR_CORRECTION });
}
