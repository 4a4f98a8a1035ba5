/** True for a YYYY-MM-DD string naming a day that exists in the Gregorian calendar. */
export function isRealDate(value: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Whole years between a birthdate and `now` (UTC calendar days). */
export function ageOn(birthdate: string, now: Date): number {
  const [y, m, d] = birthdate.split('-').map(Number) as [number, number, number];
  let age = now.getUTCFullYear() - y;
  const beforeBirthday = now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d);
  if (beforeBirthday) age--;
  return age;
}

// Validation asks for today's date once per issuance: the day's string is kept until the day changes.
let lastDay = Number.NaN;
let lastToday = '';

export function todayUtc(now: Date): string {
  const day = Math.floor(now.getTime() / 86_400_000);
  if (day !== lastDay) {
    lastToday = now.toISOString().slice(0, 10);
    lastDay = day;
  }
  return lastToday;
}
