import { useEffect, useState } from 'preact/hooks';
import { auditLog, type AuditEntry } from './api.js';
import { formatTime, type ConsoleContext } from './context.js';
import type { MessageKey } from './messages.js';

/** Entries per page; "show older" asks for the page before the oldest one shown (GET /admin/audit?before=). */
const PAGE = 50;

/** The issuer's status audit log, newest first. */
export function Audit(props: { ctx: ConsoleContext }) {
  const { ctx } = props;
  const { t, lang } = ctx;
  // Newest first; `more`: the last page was full, so older entries may exist.
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [more, setMore] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = async (before?: number) => {
    setBusy(true);
    setError(null);
    try {
      const page = [...(await auditLog(ctx.token, PAGE, before)).entries].reverse();
      setEntries((old) => (before === undefined ? page : [...(old ?? []), ...page]));
      setMore(page.length === PAGE);
    } catch (err) {
      setError(ctx.describe(err));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    void load();
  }, [ctx.token]);

  return (
    <section class="cn-card" aria-labelledby="audit-heading">
      <div class="cn-row">
        <h2 id="audit-heading">{t('audit.heading')}</h2>
        <button type="button" class="nc-secondary" disabled={busy} onClick={() => void load()}>
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
      {entries && more && (
        <button type="button" class="nc-secondary" disabled={busy} onClick={() => void load(entries.at(-1)!.id)}>
          {t('audit.more')}
        </button>
      )}
    </section>
  );
}
