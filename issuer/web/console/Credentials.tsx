import { useState } from 'preact/hooks';
import { changeStatus, deviceLost, searchCredentials, type CredentialView, type StatusAction } from './api.js';
import { formatTime, type ConsoleContext } from './context.js';
import { MANUAL_REASONS, type MessageKey } from './messages.js';

function StatusBadge(props: { ctx: ConsoleContext; status: CredentialView['status'] }) {
  const { t } = props.ctx;
  if (!props.status) return <span class="cn-badge">{t('cred.noStatus')}</span>;
  return (
    <span class={`cn-badge cn-badge-${props.status.status}`} data-status={props.status.status}>
      {t(`status.${props.status.status}`)}
    </span>
  );
}

const reasonLabel = (ctx: ConsoleContext, reason: string) => ctx.t(`reason.${reason}` as MessageKey);

type Pending = { kind: 'revoke' } | { kind: 'device-lost' } | null;

function CredentialCard(props: { ctx: ConsoleContext; credential: CredentialView; onChanged: (message: string) => void; onError: (message: string) => void }) {
  const { ctx, credential: c } = props;
  const { t, lang } = ctx;
  const [reason, setReason] = useState<string>(MANUAL_REASONS[0]);
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState<Pending>(null);
  const status = c.status?.status;
  const reasonId = `reason-${c.id}`;

  const act = async (action: StatusAction) => {
    setBusy(true);
    setPending(null);
    try {
      const result = await changeStatus(ctx.token, c.id, action, reason);
      props.onChanged(result.changed ? t('action.done', { action: t(`action.${action}`) }) : t('action.unchanged'));
    } catch (err) {
      props.onError(ctx.describe(err));
    } finally {
      setBusy(false);
    }
  };
  const lost = async () => {
    setBusy(true);
    setPending(null);
    try {
      const result = await deviceLost(ctx.token, c.holderDid);
      props.onChanged(t('action.deviceLostDone', { count: result.revoked.length }));
    } catch (err) {
      props.onError(ctx.describe(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article class="cn-card cn-credential" data-credential-id={c.id} aria-label={`${t('cred.id')} ${c.id}`}>
      <dl class="cn-facts">
        <dt>{t('cred.id')}</dt>
        <dd class="cn-mono">{c.id}</dd>
        <dt>{t('cred.status')}</dt>
        <dd>
          <StatusBadge ctx={ctx} status={c.status} />
          {c.status?.reason && <span> — {reasonLabel(ctx, c.status.reason)}</span>}
        </dd>
        <dt>{t('cred.holder')}</dt>
        <dd class="cn-mono cn-wrap">{c.holderDid}</dd>
        <dt>{t('cred.format')}</dt>
        <dd>{c.format}</dd>
        <dt>{t('cred.issued')}</dt>
        <dd>{formatTime(c.issuedAt, lang)}</dd>
        <dt>{t('cred.expires')}</dt>
        <dd>{formatTime(c.expiresAt, lang)}</dd>
        {c.supersededBy && (
          <>
            <dt>{t('cred.supersededBy')}</dt>
            <dd class="cn-mono">{c.supersededBy}</dd>
          </>
        )}
      </dl>
      <h3>{t('cred.history')}</h3>
      {c.history.length === 0 ? (
        <p>{t('cred.noHistory')}</p>
      ) : (
        <ul class="cn-history">
          {c.history.map((h) => (
            <li key={h.id}>
              {formatTime(h.at, lang)}: {t(`status.${h.from}`)} → {t(`status.${h.to}`)} ({reasonLabel(ctx, h.reason)}, {h.actor})
            </li>
          ))}
        </ul>
      )}
      {c.status && (
        <div class="cn-actions">
          <div class="cn-field">
            <label for={reasonId}>{t('action.reason')}</label>
            <select id={reasonId} value={reason} onChange={(e) => setReason((e.currentTarget as HTMLSelectElement).value)}>
              {MANUAL_REASONS.map((r) => (
                <option value={r}>{reasonLabel(ctx, r)}</option>
              ))}
            </select>
          </div>
          <div class="cn-buttons">
            <button type="button" class="cn-danger" disabled={busy || status === 'revoked'} onClick={() => setPending({ kind: 'revoke' })}>
              {t('action.revoke')}
            </button>
            <button type="button" class="nc-secondary" disabled={busy || status !== 'valid'} onClick={() => act('suspend')}>
              {t('action.suspend')}
            </button>
            <button type="button" class="nc-secondary" disabled={busy || status !== 'suspended'} onClick={() => act('reinstate')}>
              {t('action.reinstate')}
            </button>
            <button type="button" class="nc-secondary" disabled={busy} onClick={() => setPending({ kind: 'device-lost' })}>
              {t('action.deviceLost')}
            </button>
          </div>
          {pending && (
            <div class="cn-confirm" role="alertdialog" aria-labelledby={`confirm-${c.id}`}>
              <p id={`confirm-${c.id}`}>
                {pending.kind === 'revoke' ? t('action.confirmRevoke', { id: c.id }) : t('action.confirmDeviceLost', { holder: c.holderDid })}
              </p>
              <button type="button" class="cn-danger" data-confirm="yes" onClick={() => (pending.kind === 'revoke' ? act('revoke') : lost())}>
                {pending.kind === 'revoke' ? t('action.revoke') : t('action.deviceLost')}
              </button>{' '}
              <button type="button" class="nc-secondary" onClick={() => setPending(null)}>
                ✕
              </button>
            </div>
          )}
        </div>
      )}
    </article>
  );
}

/** Search by credential id or holder DID; status, history and the status actions of each credential found. */
export function Credentials(props: { ctx: ConsoleContext }) {
  const { ctx } = props;
  const { t } = ctx;
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<{ credentials: CredentialView[]; truncated: boolean } | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (q: string, keepMessage = false) => {
    if (!keepMessage) setMessage(null);
    setBusy(true);
    try {
      setResult(await searchCredentials(ctx.token, q.trim()));
    } catch (err) {
      setResult(null);
      setMessage({ text: ctx.describe(err), error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="cn-card" aria-labelledby="search-heading">
      <h2 id="search-heading">{t('search.heading')}</h2>
      <form
        class="cn-search"
        onSubmit={(e) => {
          e.preventDefault();
          if (query.trim()) void run(query);
        }}
      >
        <div class="cn-field">
          <label for="search-query">{t('search.query')}</label>
          <input
            id="search-query"
            type="search"
            class="cn-mono"
            value={query}
            spellcheck={false}
            onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        <button type="submit" disabled={busy || !query.trim()}>
          {t('search.submit')}
        </button>
      </form>
      <div role="status" class="cn-status-line">
        {message && <p class={message.error ? 'cn-error' : 'cn-ok'}>{message.text}</p>}
      </div>
      {result && result.credentials.length === 0 && <p>{t('search.none')}</p>}
      {result?.truncated && <p class="nc-warn">{t('search.truncated', { count: result.credentials.length })}</p>}
      {result?.credentials.map((c) => (
        <CredentialCard
          key={c.id}
          ctx={ctx}
          credential={c}
          onChanged={(text) => {
            setMessage({ text, error: false });
            void run(query, true);
          }}
          onError={(text) => setMessage({ text, error: true })}
        />
      ))}
    </section>
  );
}
