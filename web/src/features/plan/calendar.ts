// Calendar arithmetic on plain `YYYY-MM-DD` dates (the plan's dates are days in the workspace time zone,
// never instants), done in UTC so the browser's own time zone cannot shift a day.

export type IsoDate = string;
export type IsoMonth = string;

const DAY_MS = 86_400_000;

function toUtc(date: IsoDate): Date {
  return new Date(`${date}T00:00:00Z`);
}

function fromUtc(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

export function isIsoDate(value: string | null | undefined): value is IsoDate {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = toUtc(value);
  return !Number.isNaN(date.getTime()) && fromUtc(date) === value;
}

export function isIsoMonth(value: string | null | undefined): value is IsoMonth {
  return Boolean(value && /^\d{4}-(0[1-9]|1[0-2])$/.test(value));
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromUtc(new Date(toUtc(date).getTime() + days * DAY_MS));
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayIndex(date: IsoDate): number {
  return (toUtc(date).getUTCDay() + 6) % 7;
}

export function isWeekend(date: IsoDate): boolean {
  return weekdayIndex(date) >= 5;
}

/** The Monday of the week holding `date`. */
export function startOfWeek(date: IsoDate): IsoDate {
  return addDays(date, -weekdayIndex(date));
}

export function monthOf(date: IsoDate): IsoMonth {
  return date.slice(0, 7);
}

export function addMonths(month: IsoMonth, months: number): IsoMonth {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The months a plan touches, from the one holding `from` to the one holding the last day before `to`. */
export function monthsBetween(from: IsoDate, toExclusive: IsoDate): IsoMonth[] {
  const last = monthOf(addDays(toExclusive, -1));
  const months: IsoMonth[] = [];
  for (let month = monthOf(from); month <= last; month = addMonths(month, 1)) months.push(month);
  return months;
}

export interface GridDay {
  date: IsoDate;
  inMonth: boolean;
}

/** A month as whole weeks, Monday first, with the neighbouring months' days filling the first and last week. */
export function monthGrid(month: IsoMonth): GridDay[][] {
  const last = addDays(`${addMonths(month, 1)}-01`, -1);
  const end = addDays(startOfWeek(last), 6);
  const weeks: GridDay[][] = [];
  for (let day = startOfWeek(`${month}-01`); day <= end; day = addDays(day, 1)) {
    if (weekdayIndex(day) === 0) weeks.push([]);
    (weeks[weeks.length - 1] as GridDay[]).push({ date: day, inMonth: monthOf(day) === month });
  }
  return weeks;
}

/** The seven days of the week starting on `monday`. */
export function weekDates(monday: IsoDate): IsoDate[] {
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/**
 * What kind of day the plan says it is. The API marks each day working or not; against the weekday that
 * tells a public holiday (a weekday off) from a make-up workday (调休: a weekend day worked).
 */
export type DayKind = 'workday' | 'weekend' | 'dayOff' | 'makeUp';

export function dayKind(date: IsoDate, working: boolean): DayKind {
  if (isWeekend(date)) return working ? 'makeUp' : 'weekend';
  return working ? 'workday' : 'dayOff';
}
