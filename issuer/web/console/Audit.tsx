import { useEffect, useState } from 'preact/hooks';
import { auditLog, type AuditEntry } from './api.js';
import { formatTime, type ConsoleContext } from './context.js';
import type { MessageKey } from './messages.js';

/** Entries per page: "show older" asks for this many more (the API answers at most 100000). */
const PAGE = 50;

/** The issuer's status audit log, newest first. */
export function Audit(props: { ctx: ConsoleContext }) {
  const { ctx } = props;
  const { t, lang } = ctx;
  const [limit, setLimit] = useState(PAGE);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    setError(null);
    auditLog(ctx.token, limit).then(
      (r) => live && setEntries([...r.entries].reverse()),
      (err) => live && setError(ctx.describe(err)),
    );
    return () => {
      live = false;
    };
  }, [limit, tick, ctx.token]);

  return (
    <section class="cn-card" aria-labelledby="audit-heading">
      <div class="cn-row">
        <h2 id="audit-heading">{t('audit.heading')}</h2>
        <button type="button" class="nc-secondary" onClick={() => setTick((n) => n + 1)}>
          {t('audit.refresh')}
        </button>
      </div>
      {error && (
        <p class="cn-error" role="alert">
          {error}
        </p>
      )}
      {entries && entries.length === 0 && <p>{t('audit.empty')}</p>}
      {entries && entries.length > 0 && (
        <div class="cn-table-wrap">
          <table class="cn-table">
            <thead>
              <tr>
                <th scope="col">{t('audit.at')}</th>
                <th scope="col">{t('audit.credential')}</th>
                <th scope="col">{t('audit.change')}</th>
                <th scope="col">{t('audit.reason')}</th>
                <th scope="col">{t('audit.actor')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-audit-credential={e.credentialId}>
                  <td>{formatTime(e.at, lang)}</td>
                  <td class="cn-mono">{e.credentialId}</td>
                  <td>
                    {t(`status.${e.from}`)} → {t(`status.${e.to}`)}
                  </td>
                  <td>{t(`reason.${e.reason}` as MessageKey)}</td>
                  <td>{e.actor}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {entries && entries.length >= limit && (
        <button type="button" class="nc-secondary" onClick={() => setLimit((n) => Math.min(n + PAGE, 100_000))}>
          {t('audit.more')}
        </button>
      )}
    </section>
  );
}
