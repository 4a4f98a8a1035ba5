import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../../core/web/fetch.js';
// The wallet's own rule (pure, no Node API): free wrong PINs before a waiting time; the server enforces it.
import { FREE_ATTEMPTS } from '../../crypto/backoff.js';
import type { WalletClient } from './client.js';
import { errorText, type T } from './ui.js';

/**
 * The PIN screen. The server counts every attempt and refuses during the back-off; the page
 * shows the count and the waiting time it reads from /api/state, and waits with the button off.
 */
export function Unlock(props: { client: WalletClient; t: T; idle: boolean; onUnlocked: () => void }) {
  const { client, t } = props;
  const [pin, setPin] = useState('');
  const [failures, setFailures] = useState(0);
  const [waitUntil, setWaitUntil] = useState(0);
  const [now, setNow] = useState(Date.now());
  const [error, setError] = useState<{ code: string; text: string } | undefined>();
  const [busy, setBusy] = useState(false);

  const readState = async () => {
    const s = await client.state();
    setNow(Date.now());
    setFailures(s.failures);
    setWaitUntil(s.retryAfterMs > 0 ? Date.now() + s.retryAfterMs : 0);
    if (!s.locked) props.onUnlocked();
  };
  useEffect(() => {
    readState().catch((err: unknown) => setError({ code: err instanceof ApiError ? (err.code ?? err.error) : 'INTERNAL', text: errorText(t, err) }));
  }, []);
  useEffect(() => {
    if (!waitUntil) return;
    const id = setInterval(() => {
      const n = Date.now();
      setNow(n);
      if (n >= waitUntil) clearInterval(id);
    }, 1000);
    return () => clearInterval(id);
  }, [waitUntil]);

  const waitSeconds = Math.max(0, Math.ceil((waitUntil - now) / 1000));
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await client.unlock(pin);
      setPin('');
      props.onUnlocked();
    } catch (err) {
      setPin('');
      const code = err instanceof ApiError ? (err.code ?? err.error) : 'INTERNAL';
      setError({ code, text: errorText(t, err) });
      await readState().catch(() => undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="w-card" aria-labelledby="unlock-title">
      <h2 id="unlock-title">{t('unlockTitle')}</h2>
      {props.idle && <p class="nc-warn">{t('lockedIdle')}</p>}
      <form onSubmit={submit}>
        <label for="pin">{t('pinLabel')}</label>
        <input
          id="pin"
          name="pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          value={pin}
          onInput={(e) => setPin((e.target as HTMLInputElement).value)}
        />
        <button type="submit" disabled={busy || waitSeconds > 0 || pin.length === 0}>
          {t('unlock')}
        </button>
      </form>
      {error && (
        <div role="alert" class="w-error" data-code={error.code} data-failures={failures} data-wait-seconds={waitSeconds}>
          {error.code === 'PIN_INVALID' ? <p>{t('wrongPin', { failures })}</p> : error.code === 'PIN_LOCKED_OUT' ? null : <p>{error.text}</p>}
          {error.code === 'PIN_INVALID' && failures < FREE_ATTEMPTS && <p>{t('freeLeft', { left: FREE_ATTEMPTS - failures })}</p>}
        </div>
      )}
      {waitSeconds > 0 && (
        <p class="nc-warn" data-testid="pin-wait" data-wait-seconds={waitSeconds}>
          {t('lockedOut', { seconds: waitSeconds })}
        </p>
      )}
    </section>
  );
}
