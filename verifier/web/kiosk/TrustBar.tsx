import { useEffect, useState } from 'preact/hooks';
import { readTrustStatus, type TrustStatus } from './api.js';
import { ageParts } from './age.js';
import type { MessageKey } from './messages.js';

const REFRESH_MS = 15_000;

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Always visible: how old the trust bundle is, and a warning when a status list is past its ttl or stale. */
export function TrustBar({ t }: { t: T }) {
  const [status, setStatus] = useState<{ value: TrustStatus; at: number } | null>(null);
  const [failed, setFailed] = useState(false);
  const [, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    const load = () =>
      readTrustStatus().then(
        (value) => {
          if (!live) return;
          setStatus({ value, at: Date.now() });
          setFailed(false);
        },
        () => live && setFailed(true),
      );
    void load();
    const refresh = setInterval(load, REFRESH_MS);
    const clock = setInterval(() => setTick((n) => n + 1), 5_000);
    return () => {
      live = false;
      clearInterval(refresh);
      clearInterval(clock);
    };
  }, []);

  if (!status)
    return (
      <p class="k-trust" data-testid="trust">
        {failed ? t('trust.unknown') : '\u00a0'}
      </p>
    );
  const s = status.value;
  const age = ageParts(s.bundle_age_seconds + (Date.now() - status.at) / 1000);
  return (
    <section class="k-trust" aria-label={t('trust.heading')} data-testid="trust">
      <p>
        <span data-testid="trust-age">{t('trust.updated', { age: t(age.key, { n: age.n }) })}</span>
        {' · '}
        {t('trust.issuers', { n: s.issuers })}
        {' · '}
        {t('trust.lists', { n: s.status_lists.length })}
      </p>
      {s.stale > 0 ? (
        <p class="nc-warn" role="alert" data-testid="trust-warning">
          {t('trust.stale', { n: s.stale })}
        </p>
      ) : s.past_ttl > 0 ? (
        <p class="nc-warn" role="alert" data-testid="trust-warning">
          {t('trust.pastTtl', { n: s.past_ttl })}
        </p>
      ) : null}
    </section>
  );
}
