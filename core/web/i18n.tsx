import { useEffect, useState } from 'preact/hooks';

/** The languages every page speaks. */
export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];

/** A catalog: message key -> text, `{name}` placeholders filled by `translate`. */
export type Catalog = Readonly<Record<string, string>>;
/** One catalog per language; zh-CN must have every key English has (checked by the pages' tests). */
export type Catalogs<K extends string> = { en: Readonly<Record<K, string>>; 'zh-CN': Readonly<Record<K, string>> };

const STORAGE_KEY = 'netcred.lang';

/** The page language from the browser's (any zh* is zh-CN; anything else English). */
export function detectLang(languages: readonly string[] = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language])): Lang {
  for (const l of languages) {
    const lower = l.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && (LANGS as readonly string[]).includes(saved)) return saved as Lang;
  } catch {
    // storage blocked: fall back to the browser language
  }
  return detectLang();
}

/** Text of `key` in `lang`, placeholders `{name}` replaced; a key missing in zh-CN falls back to English, an unknown key is shown as is. */
export function translate<K extends string>(catalogs: Catalogs<K>, lang: Lang, key: K, params: Record<string, string | number> = {}): string {
  const text = catalogs[lang][key] ?? catalogs.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** A page's translator: `t(key, params)`, the language, and its setter (remembered in localStorage, mirrored to <html lang>). */
export function useI18n<K extends string>(catalogs: Catalogs<K>) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = (next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not remembered: fine
    }
  };
  const t = (key: K, params?: Record<string, string | number>) => translate(catalogs, lang, key, params);
  return { lang, setLang, t };
}

const LABELS: Record<Lang, string> = { en: 'English', 'zh-CN': '中文' };

/** The visible language toggle: one button per language, the current one pressed. */
export function LangSwitch(props: { lang: Lang; onChange: (lang: Lang) => void; label?: string }) {
  return (
    <nav class="nc-lang" aria-label={props.label ?? 'Language / 语言'}>
      {LANGS.map((l) => (
        <button type="button" key={l} lang={l} aria-pressed={props.lang === l} data-lang={l} onClick={() => props.onChange(l)}>
          {LABELS[l]}
        </button>
      ))}
    </nav>
  );
}
