import { AppError } from '../errors.ts';
import { msg } from '../messages.ts';

/** A local calendar date as 'YYYY-MM-DD' in the workspace time zone (no time, no offset). */
export type LocalDate = string;

const MS_PER_DAY = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a well-formed, existing calendar date 'YYYY-MM-DD'. */
export function isLocalDate(value: string): boolean {
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** Days in month `month` (1-12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Days since 1970-01-01 for a 'YYYY-MM-DD' date; throws a bad_request AppError on a malformed date. */
export function toDayNumber(date: LocalDate): number {
  if (!isLocalDate(date)) {
    throw new AppError('bad_request', msg('calendar.not_a_date', { date }));
  }
  return (
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY
  );
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** The 'YYYY-MM-DD' date of a day number (days since 1970-01-01), years 1000–9999. */
export function fromDayNumber(day: number): LocalDate {
  // Civil-from-days (H. Hinnant): integer arithmetic, several times faster than Date#toISOString.
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** `date` moved by `days` (negative moves back). */
export function shiftDate(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** `date` moved by whole `months`, clamped to the month's last day (2025-01-31 + 1 → 2025-02-28). */
export function addMonthsToDate(date: LocalDate, months: number): LocalDate {
  toDayNumber(date);
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const ty = y + Math.floor(m / 12);
  const tm = (((m % 12) + 12) % 12) + 1;
  const td = Math.min(Number(date.slice(8, 10)), daysInMonth(ty, tm));
  return `${String(ty).padStart(4, '0')}-${String(tm).padStart(2, '0')}-${String(td).padStart(2, '0')}`;
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** Day of the week of a day number: 0 = Sunday … 6 = Saturday. */
export function weekdayOfDayNumber(day: number): number {
  // 1970-01-01 was a Thursday.
  return (((day + 4) % 7) + 7) % 7;
}

/** Day of the week: 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: LocalDate): number {
  return weekdayOfDayNumber(toDayNumber(date));
}

/** The first day of the week containing `date`; weeks start on Monday unless `weekStartsOn` says otherwise. */
export function startOfWeek(date: LocalDate, weekStartsOn = 1): LocalDate {
  const day = toDayNumber(date);
  const back = (weekdayOfDayNumber(day) - weekStartsOn + 7) % 7;
  return fromDayNumber(day - back);
}

/** Year of a day number. */
export function yearOfDayNumber(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}
