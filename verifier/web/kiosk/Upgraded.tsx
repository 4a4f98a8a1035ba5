import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../../core/web/fetch.js';
import { QrImage } from '../../../core/web/qr.js';
import { forgetAdminToken, loadAdminToken, saveAdminToken } from './admin-token.js';
import { createUpgradedRequest, readVerdict, type CreatedRequest } from './api.js';
import type { MessageKey } from './messages.js';
import type { VerdictView } from './Verdict.js';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

const POLL_MS = 1_000;

type Phase = { kind: 'token'; rejected: boolean } | { kind: 'creating' } | { kind: 'waiting'; request: CreatedRequest } | { kind: 'expired' };

const refused = (err: unknown) => err instanceof ApiError && (err.status === 401 || err.status === 403);

function errorView(err: unknown): VerdictView {
  return err instanceof ApiError ? { kind: 'error', ...(err.code ? { code: err.code } : {}), network: err.status === 0 } : { kind: 'error', network: true };
}

/**
 * The "upgraded" check over OpenID4VP: creates a request for the full identity (the verifier's
 * own API, with the operator's admin token), shows its QR for the wallet, polls the verdict.
 */
export function Upgraded({ t, onVerdict, onCancel }: { t: T; onVerdict: (v: VerdictView) => void; onCancel: () => void }) {
  const [phase, setPhase] = useState<Phase>(() => (loadAdminToken() ? { kind: 'creating' } : { kind: 'token', rejected: false }));
  const [draft, setDraft] = useState('');

  useEffect(() => {
    if (phase.kind !== 'creating') return;
    const token = loadAdminToken();
    if (!token) return setPhase({ kind: 'token', rejected: false });
    let live = true;
    createUpgradedRequest(token).then(
      (request) => live && setPhase({ kind: 'waiting', request }),
      (err) => {
        if (!live) return;
        if (refused(err)) {
          forgetAdminToken();
          setPhase({ kind: 'token', rejected: true });
        } else onVerdict(errorView(err));
      },
    );
    return () => {
      live = false;
    };
  }, [phase]);

  useEffect(() => {
    if (phase.kind !== 'waiting') return;
    const token = loadAdminToken() ?? '';
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const v = await readVerdict(phase.request.id, token);
        if (!live) return;
        if (v.status === 'valid') return onVerdict({ kind: 'valid', profile: 'upgraded', claims: v.credentials?.[0]?.claims ?? {} });
        if (v.status === 'invalid') return onVerdict({ kind: 'invalid', code: v.code ?? 'MALFORMED' });
        if (v.status === 'expired') return setPhase({ kind: 'expired' });
      } catch (err) {
        if (!live) return;
        if (refused(err)) {
          forgetAdminToken();
          return setPhase({ kind: 'token', rejected: true });
        }
        // A lost poll is retried; the request's own expiry ends the wait.
      }
      timer = setTimeout(poll, POLL_MS);
    };
    timer = setTimeout(poll, POLL_MS);
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [phase]);

  return (
    <section class="k-upgraded" aria-labelledby="k-upgraded-h" data-testid="upgraded">
      <h2 id="k-upgraded-h">{t('upgraded.heading')}</h2>
      {phase.kind === 'token' ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!draft.trim()) return;
            saveAdminToken(draft.trim());
            setDraft('');
            setPhase({ kind: 'creating' });
          }}
        >
          {phase.rejected ? <p role="alert">{t('upgraded.tokenRejected')}</p> : null}
          <p id="k-token-help">{t('upgraded.tokenHelp')}</p>
          <label for="k-token">{t('upgraded.tokenLabel')}</label>
          <input
            id="k-token"
            type="password"
            autocomplete="off"
            aria-describedby="k-token-help"
            value={draft}
            onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
          />
          <button type="submit">{t('upgraded.tokenSave')}</button>
        </form>
      ) : phase.kind === 'waiting' ? (
        <div class="k-request">
          <p>{t('upgraded.scan')}</p>
          <QrImage text={phase.request.uri} alt={t('upgraded.qrAlt')} width={360} />
          <p aria-live="polite">{t('upgraded.waiting')}</p>
          <p class="k-request-uri" data-testid="request-uri" hidden>
            {phase.request.uri}
          </p>
        </div>
      ) : phase.kind === 'expired' ? (
        <p role="alert">{t('upgraded.expired')}</p>
      ) : (
        <p aria-busy="true">{t('scan.checking')}</p>
      )}
      <button type="button" class="nc-secondary" onClick={onCancel}>
        {t('upgraded.cancel')}
      </button>
    </section>
  );
}
