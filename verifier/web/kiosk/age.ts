import type { MessageKey } from './messages.js';

/** A duration in the largest unit that keeps it readable: 45 s, 12 min, 3 h, 2 days. */
export function ageParts(seconds: number): { key: MessageKey; n: number } {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 120) return { key: 'age.seconds', n: s };
  if (s < 2 * 3600) return { key: 'age.minutes', n: Math.floor(s / 60) };
  if (s < 2 * 86400) return { key: 'age.hours', n: Math.floor(s / 3600) };
  return { key: 'age.days', n: Math.floor(s / 86400) };
}
