import { TIME_OF_DAY } from '../../i18n/format.ts';
import { INTL_LOCALE, type Language } from '../../i18n/languages.ts';
import { wallTimeIn } from './when.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string | null | undefined): value is string {
  if (!value || !ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The calendar date `days` after (or before) an ISO date, with no time zone involved. */
export function shiftDay(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both ISO dates). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Today's date where the browser is. */
export function browserToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * The day an instant falls on in `timeZone` (the workspace's, so that "today" and "overdue" match the agenda's),
 * or where the browser is while the workspace settings are not loaded.
 */
export function dayIn(timeZone: string | undefined, at = new Date()): string {
  return timeZone ? wallTimeIn(timeZone, at).date : browserToday(at);
}

const cache = new Map<string, Intl.DateTimeFormat>();
function format(language: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(INTL_LOCALE[language], options);
    cache.set(key, f);
  }
  return f;
}

export type DayStyle = 'short' | 'weekday' | 'title' | 'date' | 'long';

const DAY_OPTIONS: Record<DayStyle, Intl.DateTimeFormatOptions> = {
  // 11月28日 / Nov 28
  short: { month: 'short', day: 'numeric', timeZone: 'UTC' },
  // 11月28日周六 / Sat, Nov 28
  weekday: { month: 'short', day: 'numeric', weekday: 'short', timeZone: 'UTC' },
  // 11月30日星期一 / Monday, Nov 30
  title: { month: 'short', day: 'numeric', weekday: 'long', timeZone: 'UTC' },
  // 2026年11月28日 / Nov 28, 2026
  date: { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' },
  // 2026年11月28日星期六 / Saturday, November 28, 2026
  long: { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long', timeZone: 'UTC' },
};

/**
 * A calendar date (YYYY-MM-DD) as the language writes it. Read as UTC on both ends, so the day never shifts
 * with the browser's time zone. The year is added to short styles when it is not `currentYear`.
 */
export function formatDay(date: string, language: Language, style: DayStyle, currentYear?: string): string {
  if (!isIsoDate(date)) return date;
  const options =
    (style === 'short' || style === 'weekday' || style === 'title') &&
    currentYear &&
    date.slice(0, 4) !== currentYear
      ? { ...DAY_OPTIONS[style], year: 'numeric' as const }
      : DAY_OPTIONS[style];
  return format(language, options).format(new Date(`${date}T00:00:00Z`));
}

/**
 * A moment (ISO instant) as a short date and time, in `timeZone` (the workspace's) or else the browser's:
 * 11月25日 08:55 / Nov 25, 08:55 (the time as everywhere, `TIME_OF_DAY`).
 */
export function formatMoment(
  instant: string,
  language: Language,
  currentYear?: string,
  timeZone?: string,
): string {
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) return instant;
  const year = timeZone
    ? format(language, { year: 'numeric', timeZone })
        .formatToParts(at)
        .find((p) => p.type === 'year')?.value
    : String(at.getFullYear());
  const withYear = currentYear && year !== currentYear;
  return format(language, {
    month: 'short',
    day: 'numeric',
    ...TIME_OF_DAY,
    ...(withYear ? { year: 'numeric' } : {}),
    ...(timeZone ? { timeZone } : {}),
  }).format(at);
}
