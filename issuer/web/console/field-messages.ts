import type { MessageKey } from './messages.js';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Templates of the shared validator's messages (schemas/resident-identity/check.ts) and their catalog keys. */
const TEMPLATES: [RegExp, MessageKey, (m: RegExpExecArray) => Record<string, string>][] = [
  [/^is required$/, 'msg.required', () => ({})],
  [/^must be 17 digits followed by a digit or X$/, 'msg.id_number.pattern', () => ({})],
  [/^check character is (\S+), MOD 11-2 gives (\S+)$/, 'msg.id_number.check', (m) => ({ got: m[1]!, want: m[2]! })],
  [/^birth date part (\S+) does not equal birthdate (\S+)$/, 'msg.id_number.birthdate', (m) => ({ part: m[1]!, birthdate: m[2]! })],
  [/^sequence (\d+) is (?:odd|even), which disagrees with sex \d$/, 'msg.id_number.sex', (m) => ({ seq: m[1]! })],
  [/^birth date part (\S+) is not a real date$/, 'msg.id_number.date', (m) => ({ part: m[1]! })],
  [/^must be a (?:real calendar )?date YYYY-MM-DD$/, 'msg.date', () => ({})],
  [/^must not be in the future$/, 'msg.future', () => ({})],
  [/(?:is not an ISO 3166-1 alpha-2 country code|^must be an ISO 3166-1 alpha-2 code)$/, 'msg.country', () => ({})],
  [/^must be at most (\d+) characters$/, 'msg.maxLength', (m) => ({ limit: m[1]! })],
  [/JPEG|data URL/, 'msg.portrait', () => ({})],
];

/** A field message in the page's language; one the catalog does not know is shown as the server wrote it. */
export function fieldMessage(t: Translate, message: string): string {
  for (const [pattern, key, params] of TEMPLATES) {
    const m = pattern.exec(message);
    if (m) return t(key, params(m));
  }
  return message;
}
