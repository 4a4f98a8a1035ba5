import jsQR from 'jsqr';
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

export type CameraState = { kind: 'starting' } | { kind: 'on' } | { kind: 'denied' } | { kind: 'error'; reason: string };

/** Frames decoded a second: enough to feel instant, little CPU on a kiosk. */
const SCAN_INTERVAL_MS = 200;
/** Frames are scaled down to this width before decoding (jsQR cost grows with the pixels). */
const MAX_DECODE_WIDTH = 800;

/**
 * Opens the camera into `video` (the back camera on a phone) and decodes QR codes from its frames
 * with jsQR through a canvas; `onText` gets every decoded text (the caller drops repeats).
 */
export function useQrCamera(onText: (text: string) => void): { videoRef: RefObject<HTMLVideoElement>; state: CameraState } {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<CameraState>({ kind: 'starting' });
  const handler = useRef(onText);
  handler.current = onText;

  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    let stopped = false;
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });

    const tick = () => {
      const video = videoRef.current;
      if (!video || !ctx || video.readyState < 2 || video.videoWidth === 0) return;
      const scale = Math.min(1, MAX_DECODE_WIDTH / video.videoWidth);
      const w = Math.round(video.videoWidth * scale);
      const h = Math.round(video.videoHeight * scale);
      if (canvas.width !== w || canvas.height !== h) {
        canvas.width = w;
        canvas.height = h;
      }
      ctx.drawImage(video, 0, 0, w, h);
      const code = jsQR(ctx.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: 'dontInvert' });
      if (code?.data) handler.current(code.data);
    };

    void (async () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        setState({ kind: 'error', reason: 'no camera API (the page needs https or localhost)' });
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      } catch (err) {
        const name = err instanceof DOMException ? err.name : '';
        setState(
          name === 'NotAllowedError' || name === 'SecurityError'
            ? { kind: 'denied' }
            : { kind: 'error', reason: err instanceof Error ? err.message : String(err) },
        );
        return;
      }
      if (stopped) {
        for (const t of stream.getTracks()) t.stop();
        return;
      }
      const video = videoRef.current;
      if (video) {
        video.srcObject = stream;
        await video.play().catch(() => undefined);
      }
      setState({ kind: 'on' });
      timer = setInterval(tick, SCAN_INTERVAL_MS);
    })();

    return () => {
      stopped = true;
      if (timer) clearInterval(timer);
      for (const t of stream?.getTracks() ?? []) t.stop();
    };
  }, []);

  return { videoRef, state };
}
