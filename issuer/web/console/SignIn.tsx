import { useState } from 'preact/hooks';
import { ApiError } from '../../../core/web/fetch.js';
import { checkToken } from './api.js';
import type { Translate } from './context.js';

/** Sign-in with the admin token: checked against the admin API before the console opens. */
export function SignIn(props: { t: Translate; notice: string | null; onSignedIn: (token: string) => void }) {
  const { t } = props;
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await checkToken(token.trim());
      props.onSignedIn(token.trim());
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t('signin.wrong'));
      else if (err instanceof ApiError && err.status === 403) setError(t('signin.disabled'));
      else setError(t('signin.failed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="cn-card cn-signin" aria-labelledby="signin-heading">
      <h2 id="signin-heading">{t('signin.heading')}</h2>
      {props.notice && (
        <p class="nc-warn" role="status">
          {props.notice}
        </p>
      )}
      <p id="signin-help">{t('signin.help')}</p>
      <form onSubmit={submit} noValidate>
        <div class="cn-field">
          <label for="admin-token">{t('signin.token')}</label>
          <input
            id="admin-token"
            name="token"
            type="password"
            autocomplete="off"
            required
            value={token}
            aria-describedby={error ? 'signin-help signin-error' : 'signin-help'}
            aria-invalid={error ? 'true' : undefined}
            onInput={(e) => setToken((e.currentTarget as HTMLInputElement).value)}
          />
          {error && (
            <p id="signin-error" class="cn-error" role="alert">
              {error}
            </p>
          )}
        </div>
        <button type="submit" disabled={busy || token.trim() === ''}>
          {busy ? t('signin.checking') : t('signin.submit')}
        </button>
      </form>
    </section>
  );
}
