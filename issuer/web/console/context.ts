import { ApiError } from '../../../core/web/fetch.js';
import type { MessageKey } from './messages.js';

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** What every section gets: the translator, the token, and how to turn a failed call into a message. */
export type ConsoleContext = {
  t: Translate;
  lang: string;
  token: string;
  /** A failed call as a sentence; a refused token also signs out (the sign-in page says why). */
  describe(err: unknown): string;
};

export function describeError(t: Translate, err: unknown, onUnauthorized: () => void): string {
  if (err instanceof ApiError) {
    if (err.status === 401) {
      onUnauthorized();
      return t('error.session');
    }
    if (err.status === 0) return t('error.network', { message: err.message });
    return t('error.generic', { message: err.code ? `${err.message} (${err.code})` : err.message });
  }
  return t('error.generic', { message: err instanceof Error ? err.message : String(err) });
}

/** A date-time in the page's language, with seconds. */
export function formatTime(iso: string, lang: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'medium' });
}
