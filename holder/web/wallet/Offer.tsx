import { useState } from 'preact/hooks';
import type { T } from './ui.js';

/** "Accept an offer": the openid-credential-offer link and the tx_code the enrollment point gave (pre-authorized code). */
export function Offer(props: { t: T; busy: boolean; onAccept: (offer: string, txCode: string) => void }) {
  const { t } = props;
  const [offer, setOffer] = useState('');
  const [txCode, setTxCode] = useState('');
  return (
    <section class="w-card" aria-labelledby="offer-title">
      <h2 id="offer-title">{t('offerTitle')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (offer.trim()) props.onAccept(offer.trim(), txCode.trim());
        }}
      >
        <label for="offer-link">{t('offerLabel')}</label>
        <textarea id="offer-link" rows={3} value={offer} onInput={(e) => setOffer((e.target as HTMLTextAreaElement).value)} />
        <label for="tx-code">{t('txCodeLabel')}</label>
        <input
          id="tx-code"
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          value={txCode}
          onInput={(e) => setTxCode((e.target as HTMLInputElement).value)}
        />
        <button type="submit" disabled={props.busy || offer.trim() === ''}>
          {props.busy ? t('working') : t('accept')}
        </button>
      </form>
    </section>
  );
}
