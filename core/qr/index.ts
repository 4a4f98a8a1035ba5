export { encodeQrTransport, decodeQrTransport, isQrTransport, QrTransportError, QR_PREFIX, DEFAULT_MAX_DECODED_BYTES } from './transport.js';
export { base45Encode, base45Decode, BASE45_ALPHABET } from './base45.js';
export { qrInfo, writeQrPng, qrTerminal, QR_ERROR_CORRECTION, type QrInfo } from './image.js';
/** The text of the QR code in a PNG file (pngjs and jsQR, loaded only when called). */
export { readQrPng, MAX_QR_IMAGE_BYTES } from './read-png.js';
