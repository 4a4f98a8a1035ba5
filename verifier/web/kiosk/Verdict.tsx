import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { MessageKey } from './messages.js';
import { reasonKey } from './messages.js';

/** A verdict to show full screen: accepted with the profile's claims, refused with its code, or no verdict (the verifier did not answer). */
export type VerdictView =
  | { kind: 'valid'; profile: 'lite' | 'upgraded'; claims: Record<string, unknown> }
  | { kind: 'invalid'; code: string }
  | { kind: 'error'; code?: string; network?: boolean };

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** The claims each profile shows, in order (schemas/profiles): only these, whatever else was disclosed. */
const UPGRADED_EXTRA = ['birthdate', 'sex', 'nationality', 'id_number', 'address', 'issuing_authority', 'issuing_country'] as const;

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    return Object.values(value as Record<string, unknown>)
      .filter((v) => typeof v === 'string' || typeof v === 'number')
      .join(', ');
  }
  return String(value);
}

function Claims({ t, view }: { t: T; view: Extract<VerdictView, { kind: 'valid' }> }) {
  const c = view.claims;
  const name = [c.given_name, c.family_name].filter((v) => typeof v === 'string' && v).join(' ');
  const adult = c.age_over_18 === true ? t('claim.adult.yes') : c.age_over_18 === false ? t('claim.adult.no') : t('claim.adult.unknown');
  const rows: [string, string, string][] = [
    ['name', t('claim.name'), name],
    ['adult', t('claim.adult'), adult],
  ];
  if (view.profile === 'upgraded') {
    for (const k of UPGRADED_EXTRA) if (c[k] !== undefined) rows.push([k, t(`claim.${k}` as MessageKey), text(c[k])]);
  }
  return (
    <dl class="k-claims">
      {rows.map(([id, label, value]) => (
        <div key={id} data-claim={id}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Full screen, green or red; resets itself after `holdSeconds` (the kiosk calls onDone). */
export function Verdict({
  t,
  view,
  holdSeconds,
  onDone,
  langSwitch,
}: {
  t: T;
  view: VerdictView;
  holdSeconds: number;
  onDone: () => void;
  langSwitch: ComponentChildren;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
    const timer = setTimeout(onDone, holdSeconds * 1000);
    return () => clearTimeout(timer);
  }, [view]);
  const ok = view.kind === 'valid';
  const code = view.kind === 'valid' ? undefined : view.code;
  return (
    <section class={`k-verdict ${ok ? 'k-ok' : 'k-bad'}`} role="alert" data-testid="verdict" data-verdict={view.kind} data-code={code ?? ''}>
      <div class="k-verdict-lang">{langSwitch}</div>
      <div class="k-verdict-body">
        <p class="k-mark" aria-hidden="true">
          {ok ? '✓' : '✕'}
        </p>
        <h2 ref={heading} tabIndex={-1}>
          {ok ? t('verdict.valid') : view.kind === 'invalid' ? t('verdict.invalid') : t('verdict.error')}
        </h2>
        {view.kind === 'valid' ? <Claims t={t} view={view} /> : null}
        {view.kind !== 'valid' ? (
          <p class="k-reason" data-testid="reason">
            {view.kind === 'error' && view.network ? t('error.network') : t(reasonKey(code), { code: code ?? '' })}
          </p>
        ) : null}
        {code ? (
          <p class="k-code" data-testid="code">
            {t('verdict.code', { code })}
          </p>
        ) : null}
        <p class="k-resets">{t('verdict.resets')}</p>
        <button type="button" class="nc-secondary" onClick={onDone}>
          {t('verdict.next')}
        </button>
      </div>
    </section>
  );
}
