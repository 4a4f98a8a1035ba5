import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../core/web/fetch.js';
import { LangSwitch, useI18n } from '../../../core/web/i18n.js';
import { verifyQr } from './api.js';
import { useQrCamera } from './camera.js';
import { MESSAGES } from './messages.js';
import { TrustBar } from './TrustBar.js';
import { Upgraded } from './Upgraded.js';
import { Verdict, type VerdictView } from './Verdict.js';

type Mode = { kind: 'scan' } | { kind: 'checking' } | { kind: 'verdict'; view: VerdictView } | { kind: 'upgraded' };

/** A QR still in front of the camera after its verdict is not sent again until it has been away this long (no false "replayed"). */
const SAME_QR_QUIET_MS = 3_000;

/** Seconds a verdict stays on screen: ?hold=N (1..600), default 6. */
export function holdSeconds(search: string = location.search): number {
  const n = Number(new URLSearchParams(search).get('hold'));
  return Number.isInteger(n) && n >= 1 && n <= 600 ? n : 6;
}

export function Kiosk() {
  const { lang, setLang, t } = useI18n(MESSAGES);
  const [mode, setMode] = useState<Mode>({ kind: 'scan' });
  const modeRef = useRef(mode);
  modeRef.current = mode;
  const last = useRef<{ text: string; seenAt: number } | null>(null);

  const check = async (text: string) => {
    setMode({ kind: 'checking' });
    let view: VerdictView;
    try {
      const r = await verifyQr(text);
      view = r.valid ? { kind: 'valid', profile: 'lite', claims: r.claims } : { kind: 'invalid', code: r.code ?? 'MALFORMED' };
    } catch (err) {
      view = err instanceof ApiError ? { kind: 'error', ...(err.code ? { code: err.code } : {}), network: err.status === 0 } : { kind: 'error', network: true };
    }
    setMode({ kind: 'verdict', view });
  };

  const onText = (text: string) => {
    const now = Date.now();
    const seen = last.current;
    if (seen && seen.text === text && now - seen.seenAt < SAME_QR_QUIET_MS) {
      seen.seenAt = now;
      return;
    }
    if (modeRef.current.kind !== 'scan') return;
    last.current = { text, seenAt: now };
    void check(text);
  };
  const camera = useQrCamera(onText);

  return (
    <div class="k-page">
      {/* Under a verdict the page is hidden (not unmounted: the camera keeps running), so only the verdict's controls are reachable. */}
      <div class={mode.kind === 'verdict' ? 'k-under k-under-hidden' : 'k-under'}>
        <header class="k-header">
          <h1>{t('title')}</h1>
          <LangSwitch lang={lang} onChange={setLang} label={t('lang.label')} />
        </header>
        <TrustBar t={t} />
        <main class="k-main">
          {mode.kind === 'upgraded' ? (
            <Upgraded t={t} onVerdict={(view) => setMode({ kind: 'verdict', view })} onCancel={() => setMode({ kind: 'scan' })} />
          ) : (
            <section class="k-scan" aria-labelledby="k-scan-h">
              <h2 id="k-scan-h">{t('scan.prompt')}</h2>
              <p class="k-hint">{t('scan.hint')}</p>
              <div class="k-camera">
                <video ref={camera.videoRef} muted playsInline aria-label={t('camera.label')} />
              </div>
              <p class="k-camera-state" aria-live="polite" data-testid="camera-state" data-state={camera.state.kind}>
                {camera.state.kind === 'starting'
                  ? t('camera.starting')
                  : camera.state.kind === 'denied'
                    ? t('camera.denied')
                    : camera.state.kind === 'error'
                      ? t('camera.unavailable', { reason: camera.state.reason })
                      : mode.kind === 'checking'
                        ? t('scan.checking')
                        : '\u00a0'}
              </p>
              <button type="button" class="k-upgrade-button" onClick={() => setMode({ kind: 'upgraded' })}>
                {t('upgraded.button')}
              </button>
            </section>
          )}
        </main>
      </div>
      {mode.kind === 'verdict' ? (
        <Verdict
          t={t}
          view={mode.view}
          holdSeconds={holdSeconds()}
          onDone={() => setMode({ kind: 'scan' })}
          langSwitch={<LangSwitch lang={lang} onChange={setLang} label={t('lang.label')} />}
        />
      ) : null}
    </div>
  );
}
