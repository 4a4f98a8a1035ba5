import type { CredentialView } from './client.js';
import { formatTime, type T } from './ui.js';

/** The credentials with their state (valid, suspended, revoked by a sync, not checked) and when each was last checked. */
export function Credentials(props: { t: T; lang: string; credentials: CredentialView[] | undefined; lastSyncAt?: number }) {
  const { t, lang } = props;
  return (
    <section class="w-card" aria-labelledby="creds-title">
      <h2 id="creds-title">{t('credentialsTitle')}</h2>
      <p class="w-muted" data-testid="last-sync">
        {props.lastSyncAt ? t('lastSync', { time: formatTime(props.lastSyncAt, lang) }) : t('neverSynced')}
      </p>
      {props.credentials && props.credentials.length === 0 && <p>{t('noCredentials')}</p>}
      <ul class="w-creds" data-testid="credentials">
        {(props.credentials ?? []).map((c) => (
          <li key={c.id} class="w-cred" data-id={c.id} data-state={c.state}>
            <div class="w-cred-head">
              <strong>{c.name ?? c.vct ?? c.id}</strong>
              <span class={`w-badge w-badge-${c.state}`}>{t(`state_${c.state}`)}</span>
            </div>
            {c.vct && c.name && <p class="w-muted w-break w-vct">{c.vct}</p>}
            <dl>
              <dt>{t('issuer')}</dt>
              <dd class="w-break">{c.iss}</dd>
              {c.expiresAt !== undefined && (
                <>
                  <dt>{t('expires')}</dt>
                  <dd>{new Date(c.expiresAt * 1000).toLocaleDateString(lang)}</dd>
                </>
              )}
              <dt>{t('lastCheck')}</dt>
              <dd>{c.checkedAt ? formatTime(c.checkedAt, lang) : t('never')}</dd>
            </dl>
          </li>
        ))}
      </ul>
    </section>
  );
}
