/**
 * Calendar keys for grouping timestamps by local day, ISO week and month in a given IANA time zone.
 * Pure: uses Intl (bundled ICU), no clock.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** `YYYY-MM-DD` of the instant in the time zone. */
export function localDateKey(at: string | Date, timeZone: string): string {
  const parts = formatterFor(timeZone).formatToParts(typeof at === 'string' ? new Date(at) : at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** `YYYY-MM` of the instant in the time zone. */
export function monthKey(at: string | Date, timeZone: string): string {
  return localDateKey(at, timeZone).slice(0, 7);
}

/** ISO-8601 week (`2024-W01`, weeks start on Monday, week 1 holds the year's first Thursday). */
export function isoWeekKey(at: string | Date, timeZone: string): string {
  const [y, m, d] = localDateKey(at, timeZone).split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
  const weekday = date.getUTCDay() || 7; // Monday 1 .. Sunday 7
  date.setUTCDate(date.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const year = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}
