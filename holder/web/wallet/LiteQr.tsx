import { useEffect, useState } from 'preact/hooks';
import { QrImage } from '../../../core/web/qr.js';
import type { LiteQr as Qr, WalletClient } from './client.js';
import { ClaimList } from './ClaimList.js';
import { errorText, type T } from './ui.js';

/**
 * "Show lite QR": a fresh lite presentation (new nonce, iat now) as one NC1 QR code, replaced by
 * a new one every `refreshInMs`, well before a kiosk would find it stale (`validForMs`), with
 * the countdown visible. Times are measured on the page's own clock from when each code arrived.
 */
export function LiteQr(props: { client: WalletClient; t: T; onError: (err: unknown) => void }) {
  const { client, t } = props;
  const [qr, setQr] = useState<(Qr & { receivedAt: number }) | undefined>();
  const [now, setNow] = useState(Date.now());
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | undefined>();

  const load = async (automatic: boolean) => {
    setBusy(true);
    try {
      const next = await client.liteQr(automatic);
      const at = Date.now();
      setQr({ ...next, receivedAt: at });
      setNow(at);
      setFailed(undefined);
    } catch (err) {
      setFailed(errorText(t, err));
      props.onError(err);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void load(false);
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, []);
  useEffect(() => {
    if (!qr) return;
    const id = setTimeout(() => void load(true), Math.max(0, qr.receivedAt + qr.refreshInMs - Date.now()));
    return () => clearTimeout(id);
  }, [qr]);

  const left = qr ? Math.max(0, Math.ceil((qr.receivedAt + qr.refreshInMs - now) / 1000)) : 0;
  const stale = qr !== undefined && now >= qr.receivedAt + qr.validForMs;
  return (
    <section class="w-card w-qr" aria-labelledby="qr-title">
      <h2 id="qr-title">{t('qrTitle')}</h2>
      {qr && !stale && (
        <figure data-testid="lite-qr" data-payload={qr.payload} data-iat={qr.iat}>
          <QrImage text={qr.payload} alt={t('qrAlt')} width={560} />
          <figcaption>
            <p class="w-countdown" data-testid="qr-countdown" data-seconds={left}>
              {busy ? t('qrRefreshing') : t('qrRefreshIn', { seconds: left })}
            </p>
            <progress max={Math.round(qr.refreshInMs / 1000)} value={left} aria-label={t('qrRefreshIn', { seconds: left })} />
            <p class="w-muted">{t('qrSize', { version: qr.version, chars: qr.chars })}</p>
          </figcaption>
        </figure>
      )}
      {stale && (
        <p class="nc-warn" role="alert">
          {t('qrStale')}
        </p>
      )}
      {failed && (
        <p role="alert" class="w-error">
          {failed}
        </p>
      )}
      {qr && (
        <>
          <h3>{t('qrShows')}</h3>
          <ClaimList t={t} claims={qr.disclosed} testId="qr-claims" />
        </>
      )}
      <button type="button" class="nc-secondary" disabled={busy} onClick={() => void load(false)}>
        {t('qrNew')}
      </button>
    </section>
  );
}
