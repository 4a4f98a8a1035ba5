import { describe, expect, it } from 'vitest';
import { VERIFY_CODES } from '../../core/index.js';
// The kiosk page's catalogs are plain data (no DOM): checked here without a browser.
import { MESSAGES, reasonKey } from '../../verifier/web/kiosk/messages.js';

describe('kiosk page catalogs (English, zh-CN)', () => {
  it('zh-CN has every English key, and no text is empty', () => {
    expect(Object.keys(MESSAGES['zh-CN']).sort()).toEqual(Object.keys(MESSAGES.en).sort());
    for (const [lang, catalog] of Object.entries(MESSAGES))
      for (const [key, text] of Object.entries(catalog)) expect(text.trim(), `${lang} ${key}`).not.toBe('');
  });

  it('every verdict code has its own plain-words reason in both languages; an unknown code falls back to the generic one', () => {
    for (const code of VERIFY_CODES) {
      const key = reasonKey(code);
      expect(key, code).toBe(`reason.${code}`);
      expect(MESSAGES['zh-CN'][key]).not.toBe(MESSAGES.en[key]);
    }
    expect(reasonKey('SOMETHING_NEW')).toBe('reason.generic');
    expect(reasonKey(undefined)).toBe('reason.generic');
  });

  it('placeholders are the same in both languages', () => {
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(MESSAGES.en) as (keyof typeof MESSAGES.en)[]) expect(holes(MESSAGES['zh-CN'][key]), key).toEqual(holes(MESSAGES.en[key]));
  });
});
