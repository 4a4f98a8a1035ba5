import { render } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import '../../../core/web/base.css';
import './console.css';
import { LangSwitch, useI18n } from '../../../core/web/i18n.js';
import { Audit } from './Audit.js';
import { describeError, type ConsoleContext } from './context.js';
import { Credentials } from './Credentials.js';
import { Enroll } from './Enroll.js';
import { CATALOGS } from './messages.js';
import { loadToken, saveToken } from './session.js';
import { SignIn } from './SignIn.js';

type Section = 'enroll' | 'search' | 'audit';
const SECTIONS: Section[] = ['enroll', 'search', 'audit'];

function Console() {
  const { lang, setLang, t } = useI18n(CATALOGS);
  const [token, setTokenState] = useState<string | null>(loadToken);
  const [notice, setNotice] = useState<string | null>(null);
  const [section, setSection] = useState<Section>('enroll');

  const setToken = (next: string | null) => {
    saveToken(next);
    setTokenState(next);
  };

  const ctx = useMemo<ConsoleContext | null>(
    () =>
      token === null
        ? null
        : {
            t,
            lang,
            token,
            describe: (err) =>
              describeError(t, err, () => {
                setNotice(t('error.session'));
                setToken(null);
              }),
          },
    [token, lang],
  );

  return (
    <>
      <header class="cn-header">
        <h1>
          netcred · <span>{t('title')}</span>
        </h1>
        <div class="cn-row">
          <LangSwitch lang={lang} onChange={setLang} />
          {ctx && (
            <button
              type="button"
              class="nc-secondary"
              onClick={() => {
                setNotice(null);
                setToken(null);
              }}
            >
              {t('signout')}
            </button>
          )}
        </div>
      </header>
      <main class="cn-main">
        {!ctx ? (
          <SignIn
            t={t}
            notice={notice}
            onSignedIn={(next) => {
              setNotice(null);
              setToken(next);
            }}
          />
        ) : (
          <>
            <nav class="cn-tabs" aria-label={t('nav.label')}>
              {SECTIONS.map((s) => (
                <button
                  type="button"
                  key={s}
                  class={section === s ? '' : 'nc-secondary'}
                  aria-current={section === s ? 'page' : undefined}
                  data-section={s}
                  onClick={() => setSection(s)}
                >
                  {t(`nav.${s}`)}
                </button>
              ))}
            </nav>
            {section === 'enroll' && <Enroll ctx={ctx} />}
            {section === 'search' && <Credentials ctx={ctx} />}
            {section === 'audit' && <Audit ctx={ctx} />}
          </>
        )}
      </main>
    </>
  );
}

const app = document.getElementById('app');
if (app) render(<Console />, app);
