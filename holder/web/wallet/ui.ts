import { ApiError } from '../../../core/web/fetch.js';
import { claimKey, errorKey, type MessageKey } from './messages.js';
import type { Claim } from './client.js';

/** The page's translator (core/web/i18n.tsx useI18n). */
export type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** A failed call as one line: the stable code, and the page's own words for it (else the server's description). */
export function errorText(t: T, err: unknown): string {
  if (err instanceof ApiError) {
    const code = err.code ?? err.error;
    const key = errorKey(code);
    return t('error', { code, message: key ? t(key) : err.message });
  }
  return t('error', { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) });
}

/** A claim's label (known claims translated, others by their path) and its value as text. */
export function claimLabel(t: T, c: Claim): string {
  const first = c.path[0];
  const key = c.path.length === 1 && typeof first === 'string' ? claimKey(first) : undefined;
  return key ? t(key) : c.path.map((p) => (p === null ? '*' : String(p))).join('.');
}

export function claimValue(t: T, value: unknown): string {
  if (value === true) return t('yes');
  if (value === false) return t('no');
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (value && typeof value === 'object' && typeof (value as { formatted?: unknown }).formatted === 'string') return (value as { formatted: string }).formatted;
  return JSON.stringify(value);
}

export function formatTime(ms: number, lang: string): string {
  return new Date(ms).toLocaleString(lang);
}
