import { AppError } from '../errors.ts';
import { msg } from '../messages.ts';
import { getHolidayProvider, type HolidayProvider } from './holiday-providers.ts';
import {
  fromDayNumber,
  type LocalDate,
  toDayNumber,
  weekdayOfDayNumber,
  yearOfDayNumber,
} from './local-date.ts';

/** Why a day is or is not a working day. */
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'make-up-workday' | 'custom-day-off';

/** One day of the calendar with the reason for its status. */
export interface DayInfo {
  date: LocalDate;
  working: boolean;
  kind: DayKind;
  /** Holiday or make-up-workday name, when the official schedule gives one. */
  name?: string;
  /** False when the country's schedule for this year is unpublished (the day is judged by weekends only). */
  published: boolean;
}

/** Whether a country's official schedule for a year is known. */
export interface ScheduleStatus {
  year: number;
  country: string;
  published: boolean;
}

export interface WorkingCalendarOptions {
  /** Country code of a built-in provider: 'CN' (default) or 'none' (weekends only). */
  country?: string;
  /** A provider to use instead of the built-in one for `country`. */
  provider?: HolidayProvider;
  /** The rep's own days off (leave, training), 'YYYY-MM-DD'. */
  customDaysOff?: readonly LocalDate[];
  /** Weekend days, 0 = Sunday … 6 = Saturday; default Saturday and Sunday. */
  weekendDays?: readonly number[];
}

/** Working days for one rep: weekends, official holidays and 调休, custom days off. */
export interface WorkingCalendar {
  readonly country: string;
  isWorkingDay(date: LocalDate): boolean;
  /** Working days d with from <= d < to (half-open; 0 when to <= from). */
  workingDaysBetween(from: LocalDate, to: LocalDate): number;
  /** The first working day strictly after `date`. */
  nextWorkingDay(date: LocalDate): LocalDate;
  /** The first working day on or after `date`. */
  workingDayOnOrAfter(date: LocalDate): LocalDate;
  /** Years touched by [from, to] whose official schedule is not published (planned on weekends only). */
  unpublishedYears(from: LocalDate, to: LocalDate): number[];
  scheduleStatus(year: number): ScheduleStatus;
  dayInfo(date: LocalDate): DayInfo;
  /** One byte per day for days [from, to): 1 = working; for planners that index days by offset. */
  workingMask(from: LocalDate, to: LocalDate): Uint8Array;
  /** Working-day test by day number (days since 1970-01-01); the fast path behind the others. */
  isWorkingDayNumber(day: number): boolean;
}

interface YearTable {
  firstDay: number;
  working: Uint8Array;
  published: boolean;
}

const SEARCH_LIMIT_DAYS = 3660;

/** Builds a working calendar; each year's working days are computed once, on first use. */
export function createWorkingCalendar(options: WorkingCalendarOptions = {}): WorkingCalendar {
  const provider = options.provider ?? getHolidayProvider(options.country ?? 'CN');
  const weekend = new Set(options.weekendDays ?? [0, 6]);
  const customOff = new Set<number>();
  for (const date of options.customDaysOff ?? []) customOff.add(toDayNumber(date));
  const years = new Map<number, YearTable>();
  const details = new Map<number, { kind: DayKind; name?: string }>();

  const tableFor = (year: number): YearTable => {
    let table = years.get(year);
    if (table) return table;
    const firstDay = Date.UTC(year, 0, 1) / 86_400_000;
    const length = Date.UTC(year + 1, 0, 1) / 86_400_000 - firstDay;
    const working = new Uint8Array(length);
    for (let i = 0; i < length; i++) working[i] = weekend.has(weekdayOfDayNumber(firstDay + i)) ? 0 : 1;
    const schedule = provider.scheduleFor(year);
    if (schedule) {
      for (const off of schedule.daysOff) {
        const i = toDayNumber(off.date) - firstDay;
        working[i] = 0;
        details.set(firstDay + i, { kind: 'holiday', name: off.name });
      }
      for (const on of schedule.makeUpWorkdays) {
        const i = toDayNumber(on.date) - firstDay;
        working[i] = 1;
        details.set(firstDay + i, { kind: 'make-up-workday', name: on.name });
      }
    }
    for (const day of customOff) {
      if (day >= firstDay && day < firstDay + length) working[day - firstDay] = 0;
    }
    table = { firstDay, working, published: schedule !== null };
    years.set(year, table);
    return table;
  };

  let last: YearTable | undefined;
  const isWorkingDayNumber = (day: number): boolean => {
    // Consecutive look-ups mostly hit the same year: skip the year computation then.
    if (!last || day < last.firstDay || day >= last.firstDay + last.working.length) {
      last = tableFor(yearOfDayNumber(day));
    }
    return last.working[day - last.firstDay] === 1;
  };

  const scanForward = (start: number, from: LocalDate): LocalDate => {
    for (let day = start; day < start + SEARCH_LIMIT_DAYS; day++) {
      if (isWorkingDayNumber(day)) return fromDayNumber(day);
    }
    throw new AppError('unprocessable', msg('calendar.no_working_day', { from }));
  };

  return {
    country: provider.country,
    isWorkingDayNumber,
    isWorkingDay: (date) => isWorkingDayNumber(toDayNumber(date)),
    workingDaysBetween(from, to) {
      const end = toDayNumber(to);
      let count = 0;
      let day = toDayNumber(from);
      while (day < end) {
        const table = tableFor(yearOfDayNumber(day));
        const stop = Math.min(end, table.firstDay + table.working.length);
        for (; day < stop; day++) count += table.working[day - table.firstDay] ?? 0;
      }
      return count;
    },
    nextWorkingDay: (date) => scanForward(toDayNumber(date) + 1, date),
    workingDayOnOrAfter: (date) => scanForward(toDayNumber(date), date),
    unpublishedYears(from, to) {
      const first = Number(fromDayNumber(toDayNumber(from)).slice(0, 4));
      const last = Number(fromDayNumber(toDayNumber(to)).slice(0, 4));
      const result: number[] = [];
      for (let year = first; year <= last; year++) if (!tableFor(year).published) result.push(year);
      return result;
    },
    scheduleStatus: (year) => ({ year, country: provider.country, published: tableFor(year).published }),
    dayInfo(date) {
      const day = toDayNumber(date);
      const table = tableFor(yearOfDayNumber(day));
      const working = table.working[day - table.firstDay] === 1;
      const official = details.get(day);
      let kind: DayKind;
      if (customOff.has(day)) kind = 'custom-day-off';
      else if (official) kind = official.kind;
      else kind = weekend.has(weekdayOfDayNumber(day)) ? 'weekend' : 'workday';
      const info: DayInfo = { date, working, kind, published: table.published };
      if (official?.name && kind !== 'custom-day-off') info.name = official.name;
      return info;
    },
    workingMask(from, to) {
      const start = toDayNumber(from);
      const length = Math.max(0, toDayNumber(to) - start);
      const mask = new Uint8Array(length);
      for (let i = 0; i < length; i++) mask[i] = isWorkingDayNumber(start + i) ? 1 : 0;
      return mask;
    },
  };
}
