import QRCode from 'qrcode';

/** The request URI as a PNG QR code (the kiosk screen). Error correction M: readable from a phone at a glance. */
export function requestQrPng(uri: string): Promise<Buffer> {
  return QRCode.toBuffer(uri, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 });
}

/** The request URI as a QR code drawn with terminal characters. */
export function requestQrTerminal(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'terminal', small: true, errorCorrectionLevel: 'M' });
}
