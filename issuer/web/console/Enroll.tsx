import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../core/web/fetch.js';
import { QrImage } from '../../../core/web/qr.js';
import { createOffer, type EnrollmentOffer } from './api.js';
import { claimsErrors, formPath, type FieldError } from './claims-check.js';
import { formatTime, type ConsoleContext } from './context.js';
import { ADDRESS_FIELDS, claimsOf, EVIDENCE_FIELDS, evidenceOf, IDENTITY_FIELDS, initialValues, type FieldSpec, type FormValues } from './enroll-form.js';
import { fieldMessage } from './field-messages.js';
import type { MessageKey } from './messages.js';

const fieldId = (path: string) => `f-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;

function readJpeg(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function Field(props: { ctx: ConsoleContext; spec: FieldSpec; value: string; errors: FieldError[]; onChange: (v: string) => void }) {
  const { t } = props.ctx;
  const { spec } = props;
  const id = fieldId(spec.path);
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const invalid = props.errors.length > 0;
  const describedBy = [spec.hint ? hintId : '', invalid ? errorId : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: spec.path,
    'aria-invalid': invalid ? ('true' as const) : undefined,
    'aria-describedby': describedBy,
    'aria-required': spec.optional ? undefined : ('true' as const),
  };
  const onInput = (e: Event) => props.onChange((e.currentTarget as HTMLInputElement | HTMLSelectElement).value);
  let control;
  if (spec.kind === 'sex') {
    control = (
      <select {...common} value={props.value} onChange={onInput}>
        <option value="">—</option>
        {(['1', '2', '0', '9'] as const).map((v) => (
          <option value={v}>{t(`sex.${v}` as MessageKey)}</option>
        ))}
      </select>
    );
  } else if (spec.kind === 'method') {
    control = (
      <select {...common} value={props.value} onChange={onInput}>
        {(['chip+face', 'face'] as const).map((v) => (
          <option value={v}>{t(`method.${v}`)}</option>
        ))}
      </select>
    );
  } else if (spec.kind === 'portrait') {
    control = (
      <input
        {...common}
        type="file"
        accept="image/jpeg"
        onChange={(e) => {
          const file = (e.currentTarget as HTMLInputElement).files?.[0];
          if (!file) props.onChange('');
          else readJpeg(file).then(props.onChange, () => props.onChange(''));
        }}
      />
    );
  } else {
    const type = spec.kind === 'date' ? 'date' : spec.kind === 'datetime' ? 'datetime-local' : 'text';
    control = <input {...common} type={type} value={props.value} autocomplete={spec.autocomplete} spellcheck={false} onInput={onInput} />;
  }
  return (
    <div class={`cn-field${invalid ? ' cn-invalid' : ''}`} data-field={spec.path}>
      <label for={id}>
        {t(`field.${spec.path}` as MessageKey)}
        {!spec.optional && <span aria-hidden="true"> *</span>}
      </label>
      {control}
      {spec.hint && (
        <p id={hintId} class="cn-hint">
          {t(spec.hint)}
        </p>
      )}
      {invalid && (
        <p id={errorId} class="cn-error" data-error-for={spec.path}>
          {props.errors.map((e) => fieldMessage(t, e.message)).join('; ')}
        </p>
      )}
    </div>
  );
}

function OfferView(props: { ctx: ConsoleContext; offer: EnrollmentOffer; onNew: () => void }) {
  const { t, lang } = props.ctx;
  const { offer } = props;
  return (
    <section class="cn-card cn-offer" aria-labelledby="offer-heading">
      <h2 id="offer-heading" tabIndex={-1}>
        {t('offer.heading')}
      </h2>
      <p>{t('offer.scan')}</p>
      <div class="cn-offer-body">
        <QrImage text={offer.offerUri} alt={t('offer.qrAlt')} width={288} class="nc-qr cn-offer-qr" />
        <div>
          {offer.txCode && (
            <dl class="cn-txcode-box">
              <dt class="cn-label">{t('offer.txCode')}</dt>
              <dd class="cn-txcode" data-testid="tx-code">
                {offer.txCode}
              </dd>
              <dd class="cn-hint">{t('offer.txCodeHelp')}</dd>
            </dl>
          )}
          <p>{t('offer.expires', { time: formatTime(offer.expiresAt, lang) })}</p>
          <label for="offer-link">{t('offer.link')}</label>
          <input id="offer-link" class="cn-mono" readOnly value={offer.offerUri} data-testid="offer-link" />
        </div>
      </div>
      <button type="button" class="nc-secondary" onClick={props.onNew}>
        {t('enroll.new')}
      </button>
    </section>
  );
}

/** The enrollment form (claims + evidence), checked in the page with the server's schema and rules; then the offer's QR and tx_code. */
export function Enroll(props: { ctx: ConsoleContext }) {
  const { ctx } = props;
  const { t } = ctx;
  const [values, setValues] = useState<FormValues>(() => initialValues());
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [summary, setSummary] = useState<string | null>(null);
  const [txCode, setTxCode] = useState(true);
  const [format, setFormat] = useState('dc+sd-jwt');
  const [busy, setBusy] = useState(false);
  const [offer, setOffer] = useState<EnrollmentOffer | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const set = (path: string) => (v: string) => setValues((old) => ({ ...old, [path]: v }));
  const errorsOf = (path: string) => errors.filter((e) => e.path === path);

  const showErrors = (list: FieldError[]) => {
    setErrors(list);
    setSummary(t('enroll.invalid', { count: new Set(list.map((e) => e.path)).size }));
    // Focus the first field in error (in form order), after the render marks it.
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setSummary(null);
    const claims = claimsOf(values);
    const local = claimsErrors(claims);
    if (local.length) return showErrors(local);
    setErrors([]);
    setBusy(true);
    try {
      setOffer(await createOffer(ctx.token, { claims, evidence: evidenceOf(values), txCode, format }));
      requestAnimationFrame(() => document.getElementById('offer-heading')?.focus());
    } catch (err) {
      if (err instanceof ApiError && err.details.length) showErrors(err.details.map((d) => ({ path: formPath(d.path), message: d.message })));
      else setSummary(ctx.describe(err));
    } finally {
      setBusy(false);
    }
  };

  if (offer) {
    return (
      <OfferView
        ctx={ctx}
        offer={offer}
        onNew={() => {
          setOffer(null);
          setValues(initialValues());
        }}
      />
    );
  }

  const fields = (list: FieldSpec[]) =>
    list.map((spec) => <Field key={spec.path} ctx={ctx} spec={spec} value={values[spec.path] ?? ''} errors={errorsOf(spec.path)} onChange={set(spec.path)} />);
  const known = new Set([...IDENTITY_FIELDS, ...ADDRESS_FIELDS, ...EVIDENCE_FIELDS].map((f) => f.path));
  const other = errors.filter((e) => !known.has(e.path));

  return (
    <section class="cn-card" aria-labelledby="enroll-heading">
      <h2 id="enroll-heading">{t('enroll.heading')}</h2>
      <form ref={formRef} onSubmit={submit} noValidate>
        <fieldset>
          <legend>{t('enroll.identity')}</legend>
          <div class="cn-grid">{fields(IDENTITY_FIELDS)}</div>
        </fieldset>
        <fieldset>
          <legend>{t('enroll.address')}</legend>
          <div class="cn-grid">{fields(ADDRESS_FIELDS)}</div>
        </fieldset>
        <fieldset>
          <legend>{t('enroll.evidence')}</legend>
          <div class="cn-grid">{fields(EVIDENCE_FIELDS)}</div>
        </fieldset>
        <fieldset>
          <legend>{t('enroll.options')}</legend>
          <div class="cn-check">
            <input id="f-txcode" type="checkbox" checked={txCode} onChange={(e) => setTxCode((e.currentTarget as HTMLInputElement).checked)} />
            <label for="f-txcode">{t('field.txCode')}</label>
          </div>
          <div class="cn-field">
            <label for="f-format">{t('field.format')}</label>
            <select id="f-format" value={format} onChange={(e) => setFormat((e.currentTarget as HTMLSelectElement).value)}>
              <option value="dc+sd-jwt">SD-JWT VC (dc+sd-jwt)</option>
              <option value="vc+sd-jwt">W3C VCDM 2.0 (vc+sd-jwt)</option>
            </select>
          </div>
        </fieldset>
        <div role="alert" class="cn-summary">
          {summary && <p class="cn-error">{summary}</p>}
          {other.map((e) => (
            <p class="cn-error" data-error-for={e.path}>
              {e.path}: {fieldMessage(t, e.message)}
            </p>
          ))}
        </div>
        <button type="submit" disabled={busy}>
          {busy ? t('enroll.sending') : t('enroll.submit')}
        </button>
      </form>
    </section>
  );
}
