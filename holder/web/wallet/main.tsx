import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import '../../../core/web/base.css';
import './wallet.css';
import { ApiError } from '../../../core/web/fetch.js';
import { LangSwitch, useI18n } from '../../../core/web/i18n.js';
import { sessionToken, walletClient, type Consent as ConsentData, type CredentialView } from './client.js';
import { Consent } from './Consent.js';
import { Credentials } from './Credentials.js';
import { LiteQr } from './LiteQr.js';
import { catalogs } from './messages.js';
import { Offer } from './Offer.js';
import { Scan } from './Scan.js';
import { errorText, type T } from './ui.js';
import { Unlock } from './Unlock.js';

type View = { kind: 'home' } | { kind: 'qr' } | { kind: 'scan' } | { kind: 'consent'; consent: ConsentData } | { kind: 'offer' };
/** A message above the screen, worded when shown (a language switch rewords it). */
type Notice = { kind: 'ok' | 'error'; text: (t: T) => string; code?: string };

/** How often the page asks whether the server locked the wallet (inactivity); these calls do not count as activity. */
const STATE_POLL_MS = 15_000;

function Wallet() {
  const { lang, setLang, t } = useI18n(catalogs);
  const token = useMemo(sessionToken, []);
  const client = useMemo(() => walletClient(token), [token]);
  const [locked, setLocked] = useState(true);
  const [idle, setIdle] = useState(false);
  const [view, setView] = useState<View>({ kind: 'home' });
  const [notice, setNotice] = useState<Notice | undefined>();
  const [busy, setBusy] = useState(false);
  const [creds, setCreds] = useState<{ credentials: CredentialView[]; lastSyncAt?: number } | undefined>();

  /** A failed call: the PIN screen when the wallet locked meanwhile, else the error in the notice. */
  const fail = (err: unknown) => {
    if (err instanceof ApiError && err.code === 'WALLET_LOCKED') {
      setLocked(true);
      setIdle(true);
      setView({ kind: 'home' });
      return;
    }
    setNotice({ kind: 'error', text: (tr) => errorText(tr, err), ...(err instanceof ApiError && err.code ? { code: err.code } : {}) });
  };
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setNotice(undefined);
    try {
      await fn();
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };
  const refresh = () => client.credentials().then(setCreds);

  useEffect(() => {
    if (locked) return;
    void refresh().catch(fail);
    const id = setInterval(() => {
      client.state().then(
        (s) => {
          if (s.locked) {
            setLocked(true);
            setIdle(true);
            setView({ kind: 'home' });
          }
        },
        () => undefined,
      );
    }, STATE_POLL_MS);
    return () => clearInterval(id);
  }, [locked]);

  const header = (
    <header class="w-header">
      <h1>{t('title')}</h1>
      <div class="w-header-actions">
        <LangSwitch lang={lang} onChange={setLang} label={t('langLabel')} />
        {!locked && (
          <button
            type="button"
            class="nc-secondary"
            onClick={() => void run(async () => (await client.lock(), setLocked(true), setIdle(false), setView({ kind: 'home' })))}
          >
            {t('lock')}
          </button>
        )}
      </div>
    </header>
  );

  let body;
  if (!token)
    body = (
      <p role="alert" class="w-error">
        {t('noSession')}
      </p>
    );
  else if (locked) body = <Unlock client={client} t={t} idle={idle} onUnlocked={() => (setLocked(false), setIdle(false), setNotice(undefined))} />;
  else if (view.kind === 'qr') body = <LiteQr client={client} t={t} onError={fail} />;
  else if (view.kind === 'scan')
    body = <Scan t={t} busy={busy} onRequest={(uri) => void run(async () => setView({ kind: 'consent', consent: await client.openRequest(uri) }))} />;
  else if (view.kind === 'consent')
    body = (
      <Consent
        t={t}
        consent={view.consent}
        busy={busy}
        onDecide={(send) =>
          void run(async () => {
            try {
              const r = await client.decide(view.consent.id, send);
              const v = view.consent.verifier;
              setNotice(
                r.status === 'sent'
                  ? { kind: 'ok', text: (tr) => tr('sent', { verifier: v.verifierName ?? v.clientName ?? v.clientId }) }
                  : { kind: 'ok', text: (tr) => tr('declined') },
              );
            } finally {
              setView({ kind: 'home' });
            }
          })
        }
      />
    );
  else if (view.kind === 'offer')
    body = (
      <Offer
        t={t}
        busy={busy}
        onAccept={(offer, txCode) =>
          void run(async () => {
            const r = await client.acceptOffer(offer, txCode);
            setNotice({ kind: 'ok', text: (tr) => tr('offerDone', { count: r.credentials.length, issuer: r.credentialIssuer }) });
            setView({ kind: 'home' });
            await refresh();
          })
        }
      />
    );
  else
    body = (
      <>
        <nav class="w-actions" aria-label={t('title')}>
          <button type="button" onClick={() => (setNotice(undefined), setView({ kind: 'qr' }))}>
            {t('showQr')}
          </button>
          <button type="button" onClick={() => (setNotice(undefined), setView({ kind: 'scan' }))}>
            {t('scan')}
          </button>
          <button type="button" onClick={() => (setNotice(undefined), setView({ kind: 'offer' }))}>
            {t('acceptOffer')}
          </button>
          <button
            type="button"
            class="nc-secondary"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                const r = await client.sync();
                setNotice({
                  kind: 'ok',
                  text: (tr) => tr('syncDone', { valid: r.valid.length, suspended: r.suspended.length, revoked: r.deleted.length, errors: r.errors.length }),
                });
                await refresh();
              })
            }
          >
            {busy ? t('syncing') : t('sync')}
          </button>
        </nav>
        <Credentials t={t} lang={lang} credentials={creds?.credentials} {...(creds?.lastSyncAt ? { lastSyncAt: creds.lastSyncAt } : {})} />
      </>
    );

  return (
    <>
      {header}
      <main class="w-main">
        {notice && (
          <p
            role={notice.kind === 'error' ? 'alert' : 'status'}
            class={notice.kind === 'error' ? 'w-error' : 'w-ok'}
            data-testid="notice"
            data-code={notice.code ?? ''}
          >
            {notice.text(t)}
          </p>
        )}
        {!locked && view.kind !== 'home' && (
          <button type="button" class="nc-secondary w-back" onClick={() => (setNotice(undefined), setView({ kind: 'home' }))}>
            {t('back')}
          </button>
        )}
        {body}
      </main>
    </>
  );
}

const app = document.getElementById('app');
if (app) render(<Wallet />, app);
