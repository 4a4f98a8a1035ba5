import QRCode from 'qrcode';
import { useEffect, useState } from 'preact/hooks';

/** The alphanumeric QR set: an NC1 payload or an upper-case URL is stored at 5.5 bits per character. */
const ALNUM = /^[0-9A-Z $%*+\-./:]*$/;

/** A PNG data URL of `text` as one QR code (error correction M, 4-module quiet zone). */
export function qrDataUrl(text: string, options: { width?: number } = {}): Promise<string> {
  const data = ALNUM.test(text) ? [{ data: text, mode: 'alphanumeric' as const }] : text;
  return QRCode.toDataURL(data, { errorCorrectionLevel: 'M', margin: 4, width: options.width ?? 320, color: { dark: '#000000', light: '#ffffff' } });
}

/** An <img> of a QR code; `alt` says what it is for (screen readers). */
export function QrImage(props: { text: string; alt: string; width?: number; class?: string }) {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    setSrc(null);
    setFailed(false);
    qrDataUrl(props.text, { width: props.width ?? 320 }).then(
      (url) => live && setSrc(url),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [props.text, props.width]);
  if (failed) return <p role="alert">{props.alt}</p>;
  return src ? (
    <img class={props.class ?? 'nc-qr'} src={src} alt={props.alt} width={props.width ?? 320} height={props.width ?? 320} />
  ) : (
    <div class="nc-qr nc-qr-pending" aria-busy="true" />
  );
}
