import type { Consent as ConsentData } from './client.js';
import { ClaimList } from './ClaimList.js';
import type { T } from './ui.js';

/**
 * The consent screen: who asks, and exactly the claims the wallet library selected for the
 * request's DCQL query (the plan it will sign if the holder says yes), nothing else.
 */
export function Consent(props: { t: T; consent: ConsentData; busy: boolean; onDecide: (send: boolean) => void }) {
  const { t, consent } = props;
  const v = consent.verifier;
  const who = v.verifierName ?? v.clientName ?? v.clientId;
  return (
    <section class="w-card" aria-labelledby="consent-title" data-testid="consent">
      <h2 id="consent-title">{t('consentTitle', { verifier: who })}</h2>
      {who !== v.clientId && <p class="w-muted w-break">{v.clientId}</p>}
      {v.certifiedBy && <p>{t('consentCertified', { root: v.certifiedBy })}</p>}
      <p>{t('consentClaims')}</p>
      {consent.plan.map((p) => (
        <div key={p.credentialQueryId}>
          <p class="w-muted w-break">{t('consentFrom', { vct: p.vct ?? p.credentialId, iss: p.iss })}</p>
          <ClaimList t={t} claims={p.claims} testId="consent-claims" />
        </div>
      ))}
      <p class="w-muted w-break">{t('consentTo', { uri: v.responseUri })}</p>
      <div class="w-actions">
        <button type="button" disabled={props.busy} onClick={() => props.onDecide(true)}>
          {t('send')}
        </button>
        <button type="button" class="nc-secondary" disabled={props.busy} onClick={() => props.onDecide(false)}>
          {t('decline')}
        </button>
      </div>
    </section>
  );
}
