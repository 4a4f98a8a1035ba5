import { decodeQrTransport, decodeSdJwt, InvalidInputError, isQrTransport, MAX_DECODE_INPUT, QR_PREFIX } from '../core/index.js';
import { printJson } from './context.js';
import { readInput } from './read-input.js';

export type DecodeOpts = { qrImage?: string; json?: boolean };

/**
 * Decodes without verifying: the token in a file, stdin or (--qr-image) a QR code; a wallet QR
 * text (`NC1:...`, core/qr/transport.ts) is unpacked first and says so in `transport`.
 */
export async function runDecode(file: string, opts: DecodeOpts = {}): Promise<void> {
  if (opts.qrImage !== undefined && file !== '-') throw new InvalidInputError('give either a file or --qr-image, not both');
  const text =
    opts.qrImage !== undefined ? await (await import('../core/qr/read-png.js')).readQrPng(opts.qrImage) : await readInput(file, MAX_DECODE_INPUT, 'SD-JWT');
  if (isQrTransport(text)) {
    const token = decodeQrTransport(text.trim(), { maxBytes: MAX_DECODE_INPUT });
    printJson({ transport: { format: QR_PREFIX.replace(/:$/, ''), chars: text.trim().length }, ...decodeSdJwt(token) });
    return;
  }
  printJson(decodeSdJwt(text));
}
