import jsQR from 'jsqr';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { T } from './ui.js';

/** Frames the camera decoder looks at per second (jsqr on a canvas copy of the video). */
const SCAN_INTERVAL_MS = 250;

/**
 * "Scan a request": the camera (jsqr on video frames) or a pasted openid4vp:// link. The link
 * goes to the server, which resolves and checks the request before anything is shown.
 */
export function Scan(props: { t: T; busy: boolean; onRequest: (uri: string) => void }) {
  const { t } = props;
  const [link, setLink] = useState('');
  const [camera, setCamera] = useState<'off' | 'on' | 'unavailable'>('off');
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);

  const stop = () => {
    for (const tr of stream.current?.getTracks() ?? []) tr.stop();
    stream.current = null;
    setCamera((c) => (c === 'on' ? 'off' : c));
  };
  useEffect(() => stop, []);

  const start = async () => {
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw new Error('no camera API');
      stream.current = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      setCamera('on');
    } catch {
      setCamera('unavailable');
    }
  };

  useEffect(() => {
    if (camera !== 'on' || !video.current || !stream.current) return;
    const v = video.current;
    v.srcObject = stream.current;
    void v.play().catch(() => undefined);
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const id = setInterval(() => {
      if (!ctx || v.readyState < 2 || v.videoWidth === 0) return;
      canvas.width = v.videoWidth;
      canvas.height = v.videoHeight;
      ctx.drawImage(v, 0, 0);
      const found = jsQR(ctx.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height, { inversionAttempts: 'dontInvert' });
      if (found && /^openid4vp:/i.test(found.data)) {
        clearInterval(id);
        stop();
        props.onRequest(found.data);
      }
    }, SCAN_INTERVAL_MS);
    return () => clearInterval(id);
  }, [camera]);

  return (
    <section class="w-card" aria-labelledby="scan-title">
      <h2 id="scan-title">{t('scanTitle')}</h2>
      <p>{t('scanHint')}</p>
      {camera === 'on' ? (
        <>
          <video ref={video} class="w-video" muted playsInline aria-label={t('cameraLabel')} />
          <button type="button" class="nc-secondary" onClick={stop}>
            {t('cameraStop')}
          </button>
        </>
      ) : (
        <button type="button" class="nc-secondary" onClick={() => void start()}>
          {t('cameraStart')}
        </button>
      )}
      {camera === 'unavailable' && <p class="nc-warn">{t('cameraUnavailable')}</p>}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (link.trim()) props.onRequest(link.trim());
        }}
      >
        <label for="request-link">{t('pasteLabel')}</label>
        <textarea id="request-link" rows={3} value={link} onInput={(e) => setLink((e.target as HTMLTextAreaElement).value)} />
        <button type="submit" disabled={props.busy || link.trim() === ''}>
          {props.busy ? t('working') : t('continue')}
        </button>
      </form>
    </section>
  );
}
