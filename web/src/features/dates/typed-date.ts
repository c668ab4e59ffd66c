/**
 * What a person may type into a date field (features/dates/date-fields.tsx), read back as the ISO day the app
 * sends ('YYYY-MM-DD'). The field shows a day the way the rest of the app writes it (2026年10月5日 / Oct 5, 2026,
 * `formatDate`), so that is read back in either language, and so are the forms people type: 2026-10-05, 2026/10/5,
 * 2026.10.5, 20261005, full-width digits from a Chinese input method, and English month names (5 Oct 2026). Orders
 * that depend on the reader (10/5/2026: October or May?) are not guessed. Pure, no time zone: a day is a day.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

/** Year, month, day with any of - / . 年 月 between them and an optional 日 (2026年10月5日, 2026-10-05). */
const YEAR_FIRST = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;
/** 20261005 */
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
/** Oct 5, 2026 / October 5 2026 */
const MONTH_FIRST = /^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/;
/** 5 Oct 2026 / 5 October, 2026 */
const DAY_FIRST = /^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})$/;

const pad = (n: number) => String(n).padStart(2, '0');

/** The ISO day for a year, month (1–12) and day, or null when there is no such day (2026-02-30). */
export function isoDay(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1 || day > 31) return null;
  const at = new Date(Date.UTC(year, month - 1, day));
  if (at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

function monthNumber(name: string): number | null {
  const index = MONTHS.indexOf(name.slice(0, 3) as (typeof MONTHS)[number]);
  // "Sept" and whole names are fine; "Octopus" is not a month.
  if (index < 0) return null;
  const full = new Intl.DateTimeFormat('en-US', { month: 'long', timeZone: 'UTC' })
    .format(new Date(Date.UTC(2026, index, 1)))
    .toLowerCase();
  return full.startsWith(name) || name === 'sept' ? index + 1 : null;
}

/** The ISO day a typed text stands for, or null when it is not (yet) a whole, real day. */
export function parseTypedDate(text: string): string | null {
  // NFKC: full-width digits and punctuation (２０２６／１０／５) are the ASCII ones.
  const value = text.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
  if (!value) return null;
  let match = YEAR_FIRST.exec(value) ?? COMPACT.exec(value);
  if (match) return isoDay(Number(match[1]), Number(match[2]), Number(match[3]));
  match = MONTH_FIRST.exec(value);
  if (match) {
    const month = monthNumber(match[1] as string);
    return month ? isoDay(Number(match[3]), month, Number(match[2])) : null;
  }
  match = DAY_FIRST.exec(value);
  if (match) {
    const month = monthNumber(match[2] as string);
    return month ? isoDay(Number(match[3]), month, Number(match[1])) : null;
  }
  return null;
}
