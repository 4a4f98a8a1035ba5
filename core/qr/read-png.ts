import { readFileSync, statSync } from 'node:fs';
import { NetcredError } from '../errors.js';

/** A QR image a wallet writes is a few hundred KB at most: 16 MiB is far beyond any real one. */
export const MAX_QR_IMAGE_BYTES = 16 * 1024 * 1024;

/**
 * The text of the QR code in a PNG file (what `netcred wallet present --qr` writes): PNG decoded
 * with pngjs, the code read with jsQR, both loaded only when called.
 *
 * @throws NetcredError `FILE_UNREADABLE` (no such file), `INPUT_TOO_LARGE`, `QR_IMAGE_INVALID`
 * (not a PNG, or no QR code found in it).
 */
export async function readQrPng(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    if (statSync(file).size > MAX_QR_IMAGE_BYTES) throw new NetcredError('INPUT_TOO_LARGE', `QR image ${file} is larger than ${MAX_QR_IMAGE_BYTES} bytes`);
    bytes = readFileSync(file);
  } catch (cause) {
    if (cause instanceof NetcredError) throw cause;
    throw new NetcredError('FILE_UNREADABLE', `cannot read QR image ${file}: ${(cause as Error).message}`, { cause });
  }
  const [{ PNG }, jsqrModule] = await Promise.all([import('pngjs'), import('jsqr')]);
  const jsQR = ((jsqrModule as unknown as { default?: unknown }).default ?? jsqrModule) as unknown as typeof import('jsqr').default;
  let png: { width: number; height: number; data: Buffer };
  try {
    png = PNG.sync.read(bytes);
  } catch (cause) {
    throw new NetcredError('QR_IMAGE_INVALID', `${file} is not a PNG image: ${(cause as Error).message}`, { cause });
  }
  const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  if (!code || code.data === '') throw new NetcredError('QR_IMAGE_INVALID', `no QR code found in ${file}`);
  return code.data;
}
